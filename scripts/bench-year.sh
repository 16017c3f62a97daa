#!/usr/bin/env bash
# An hourly no-op run over a year of sealed partitions.
#
#   scripts/bench-year.sh [WORKDIR] [SIZE]    SIZE default 512MiB
#
# Generates a blob per table and hour for 2025 (up to 21 tables x 8760 hours;
# 512MiB of small blobs fills about 180,000 of them), indexes it, runs again
# with no grace so every past partition seals, then times the no-op run an hourly timer would make
# (median of 5) and prints its listing and read requests. Target: < 2 s and
# no blob read.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK="${1:-$(mktemp -d)}"
SIZE="${2:-512MiB}"
BIN=target/release/huntvault
cargo build --release --locked --quiet
mkdir -p "$WORK"
EXPORT="$WORK/year-export"
INDEX="$WORK/year-index"
rm -rf "$INDEX"

if [ ! -d "$EXPORT" ]; then
  echo "generating a year of hourly partitions ($SIZE) into $EXPORT ..."
  "$BIN" generate --out "$EXPORT" --size "$SIZE" --hours 8760 --start 2025-01-01T00:00:00Z --seed 1 --duplicates 0 | tail -n 1
fi
BLOBS=$(find "$EXPORT" -name PT1H.json | wc -l)

s=$(date +%s%N)
"$BIN" index --index "$INDEX" --source "$EXPORT" --quiet --seal-after 0s
e=$(date +%s%N)
echo "first run over $BLOBS blobs: $(( (e - s) / 1000000 )) ms"
"$BIN" index --index "$INDEX" --source "$EXPORT" --seal-after 0s --json-summary > "$WORK/seal.json"

times=()
for _ in 1 2 3 4 5; do
  s=$(date +%s%N)
  "$BIN" index --index "$INDEX" --source "$EXPORT" --json-summary > "$WORK/noop.json"
  e=$(date +%s%N)
  times+=($(( (e - s) / 1000000 )))
done
MEDIAN=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)

python3 - "$WORK/seal.json" "$WORK/noop.json" "$MEDIAN" "$BLOBS" <<'PY'
import json, sys
seal, noop = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
median, blobs = int(sys.argv[3]), int(sys.argv[4])
print(f"sealing run       {seal['folders_sealed']} folders sealed, {seal['blobs_sealed']} blobs folded")
print(f"no-op over a year {median/1000:10.2f} s (median of 5; target < 2 s)   "
      f"{noop['requests']['list_requests']} listing requests, {noop['requests']['read_requests']} reads, "
      f"{noop['blobs_listed']} of {blobs} blobs listed")
PY
