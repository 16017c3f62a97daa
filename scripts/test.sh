#!/usr/bin/env bash
# Runs every check and test on a clean checkout: formatting, clippy (warnings
# are errors), unit tests, and the integration tests that drive the built
# binary over real sample records and generated exports.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --locked --all-targets -- -D warnings

echo "== cargo test"
cargo test --locked --all-targets "$@"
