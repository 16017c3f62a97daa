#!/usr/bin/env bash
# Runs every check and test on a clean checkout: formatting, clippy (warnings
# are errors), unit tests, and the integration tests that drive the built
# binary over real sample records and generated exports, and the Azure source
# against Azurite (the Azure Storage emulator, installed from npm into
# .tools/ when missing, started on 127.0.0.1 and stopped on exit).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --locked --all-targets -- -D warnings

echo "== Azurite"
azurite_dir="$(mktemp -d)"
trap 'scripts/azurite.sh stop "$azurite_dir" || true; rm -rf "$azurite_dir"' EXIT
AZURITE_CS="$(scripts/azurite.sh start "$azurite_dir")"
export AZURITE_CS
export HUNTVAULT_AZURITE_BLOB_ENDPOINT="http://127.0.0.1:$(cat "$azurite_dir/port")/devstoreaccount1"
echo "Azurite blob service on $HUNTVAULT_AZURITE_BLOB_ENDPOINT"

echo "== cargo test"
cargo test --locked --all-targets "$@"
