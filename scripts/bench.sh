#!/usr/bin/env bash
# Indexing and query benchmark on a generated export.
#
#   scripts/bench.sh [SIZE] [WORKDIR]      SIZE default 1GiB; WORKDIR default a temp dir
#
# Generates an export of SIZE, indexes it from scratch, re-runs the index
# (nothing new: a no-op), then times typical searches and hunting (KQL)
# queries (median of 20 runs of the real binary, process start included;
# the hunting queries also with DuckDB over the raw JSON when `duckdb` is
# installed), and rebuilds the index from its stored records (`reindex`).
# Prints MB/s, docs/s, index size as a share of the raw bytes, peak RSS,
# query latencies, and the rebuild's time and peak RSS.
#
# Then the same export from a storage account: starts Azurite (the Azure
# Storage emulator, scripts/azurite.sh; stopped on exit), loads the export as
# append blobs with `cargo run --example upload`, indexes it from there
# (`--connection-string`) into a second index, and prints both indexing
# throughputs side by side with their ratio.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE="${1:-1GiB}"
WORK="${2:-$(mktemp -d)}"
RUNS=20
BIN=target/release/huntvault

cargo build --release --locked --quiet
cargo build --release --locked --quiet --example upload
UPLOAD=target/release/examples/upload
mkdir -p "$WORK"
EXPORT="$WORK/export"
INDEX="$WORK/index"
AZ_INDEX="$WORK/index-azurite"
AZ_DIR="$WORK/azurite"
rm -rf "$INDEX" "$AZ_INDEX" "$AZ_DIR"
trap 'scripts/azurite.sh stop "$AZ_DIR" >/dev/null 2>&1 || true; rm -rf "$AZ_DIR"' EXIT

if [ ! -d "$EXPORT" ]; then
  echo "generating $SIZE into $EXPORT ..."
  "$BIN" generate --out "$EXPORT" --size "$SIZE" --hours 48 --seed 1 >/dev/null
fi
RAW_BYTES=$(find "$EXPORT" -type f -printf "%s\n" | awk "{s+=\$1} END{print s}")

# Peak RSS (KiB) and wall seconds of a command, via GNU time when present,
# else /proc polling.
measure() {
  local out="$1"; shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %M" -o "$out.time" "$@" > "$out"
  else
    local start end peak=0 pid
    start=$(date +%s.%N)
    "$@" > "$out" & pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      rss=$(awk '/VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ "${rss:-0}" -gt "$peak" ] && peak=$rss
      sleep 0.05
    done
    wait "$pid"
    end=$(date +%s.%N)
    echo "$(echo "$end - $start" | bc) $peak" > "$out.time"
  fi
}

echo "indexing $(numfmt --to=iec "$RAW_BYTES") from scratch ..."
measure "$WORK/first.json" "$BIN" index --index "$INDEX" --source "$EXPORT" --json-summary
read -r SECS RSS < "$WORK/first.json.time"
DOCS=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["docs_added"])' "$WORK/first.json")
measure "$WORK/second.json" "$BIN" index --index "$INDEX" --source "$EXPORT" --json-summary
read -r NOOP_SECS NOOP_RSS < "$WORK/second.json.time"
INDEX_BYTES=$(du -sb "$INDEX" | cut -f1)

median_ms() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local s e
    s=$(date +%s%N)
    "$@" > /dev/null
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END{m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'
}

HASH=$("$BIN" search --index "$INDEX" --table DeviceProcessEvents --limit 1 --format json --select SHA256 '*' \
  | python3 -c 'import json,sys;print(json.loads(sys.stdin.readline())["SHA256"])')
DEVICE=$("$BIN" search --index "$INDEX" --table DeviceProcessEvents --limit 1 --format json --select DeviceName '*' \
  | python3 -c 'import json,sys;print(json.loads(sys.stdin.readline())["DeviceName"])')

Q_HASH=$(median_ms "$BIN" search --index "$INDEX" --count "SHA256:$HASH")
Q_FILTER=$(median_ms "$BIN" search --index "$INDEX" --limit 100 \
  --since 2026-01-01T06:00:00Z --until 2026-01-02T06:00:00Z "DeviceName:$DEVICE AND ActionType:ProcessCreated")
Q_PHRASE=$(median_ms "$BIN" search --index "$INDEX" --limit 100 'ProcessCommandLine:"sekurlsa logonpasswords"')
Q_COUNT_BY=$(median_ms "$BIN" search --index "$INDEX" --count-by DeviceName --table DeviceProcessEvents '*')

# Hunting queries (KQL), and the same over the raw JSON with DuckDB when it is installed.
HUNT_FILTER="DeviceProcessEvents | where DeviceName == \"$DEVICE\" and ActionType == \"ProcessCreated\"
  and Timestamp between (datetime(2026-01-01T06:00:00Z) .. datetime(2026-01-02T06:00:00Z)) | take 100"
HUNT_COUNT_BY="DeviceProcessEvents | summarize count() by DeviceName"
Q_HUNT_FILTER=$(median_ms "$BIN" hunt --index "$INDEX" --format json "$HUNT_FILTER")
Q_HUNT_COUNT_BY=$(median_ms "$BIN" hunt --index "$INDEX" --format json "$HUNT_COUNT_BY")
DUCK_FILTER=-
DUCK_COUNT_BY=-
if command -v duckdb >/dev/null 2>&1; then
  DP="$EXPORT/insights-logs-advancedhunting-deviceprocessevents/*/*/*/*/*/*/PT1H.json"
  DUCK_FILTER=$(median_ms duckdb -c "SELECT * FROM read_json_auto('$DP') WHERE properties.DeviceName = '$DEVICE'
    AND properties.ActionType = 'ProcessCreated' AND properties.Timestamp >= '2026-01-01T06:00:00Z'
    AND properties.Timestamp < '2026-01-02T06:00:00Z' LIMIT 100")
  DUCK_COUNT_BY=$(median_ms duckdb -c "SELECT properties.DeviceName, count(*) FROM read_json_auto('$DP') GROUP BY 1")
fi

# Rebuilding the index from the records it keeps (`reindex`).
echo "rebuilding the index from its stored records ..."
measure "$WORK/reindex.json" "$BIN" reindex --index "$INDEX" --format json
read -r RX_SECS RX_RSS < "$WORK/reindex.json.time"
RX_DOCS=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["documents"])' "$WORK/reindex.json")

# The same export from a storage account (Azurite on loopback).
echo "starting Azurite and uploading the export as append blobs ..."
AZ_CS=$(scripts/azurite.sh start "$AZ_DIR")
"$UPLOAD" --source "$EXPORT" --connection-string "$AZ_CS" | tail -n 1
echo "indexing $(numfmt --to=iec "$RAW_BYTES") from Azurite from scratch ..."
measure "$WORK/azurite.json" "$BIN" index --index "$AZ_INDEX" --connection-string "$AZ_CS" --json-summary
read -r AZ_SECS AZ_RSS < "$WORK/azurite.json.time"
AZ_DOCS=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["docs_added"])' "$WORK/azurite.json")
scripts/azurite.sh stop "$AZ_DIR"
rm -rf "$AZ_DIR"

python3 - "$RAW_BYTES" "$SECS" "$RSS" "$DOCS" "$NOOP_SECS" "$INDEX_BYTES" "$Q_HASH" "$Q_FILTER" "$Q_PHRASE" "$Q_COUNT_BY" \
  "$AZ_SECS" "$AZ_RSS" "$AZ_DOCS" "$Q_HUNT_FILTER" "$Q_HUNT_COUNT_BY" "$DUCK_FILTER" "$DUCK_COUNT_BY" \
  "$RX_SECS" "$RX_RSS" "$RX_DOCS" <<'PY'
import sys
raw, secs, rss, docs, noop, idx, qh, qf, qp, qc, az_secs, az_rss, az_docs, hf, hc, df, dc, rx_secs, rx_rss, rx_docs = sys.argv[1:]
rx_secs, rx_rss, rx_docs = float(rx_secs), int(rx_rss), int(rx_docs)
raw, secs, rss, docs, noop, idx = int(raw), float(secs), int(rss), int(docs), float(noop), int(idx)
az_secs, az_rss, az_docs = float(az_secs), int(az_rss), int(az_docs)
print(f"export            {raw/1e6:10.1f} MB, {docs} documents")
print(f"index (scratch)   {secs:10.1f} s   {raw/1e6/secs:8.1f} MB/s   {docs/secs:10.0f} docs/s   peak RSS {rss/1024:.0f} MiB")
print(f"index (no-op)     {noop:10.2f} s")
print(f"index size        {idx/1e6:10.1f} MB = {100*idx/raw:.0f}% of raw")
print(f"query medians of 20 runs (ms, process start included):")
print(f"  exact hash lookup                      {qh:>8}")
print(f"  device + action type + time range      {qf:>8}")
print(f"  phrase in command lines                {qp:>8}")
print(f"  count by device                        {qc:>8}")
print(f"hunt (KQL) medians of 20 runs (ms)       huntvault   DuckDB over the raw JSON")
print(f"  device + action type + time, take 100  {hf:>8}   {df:>8}")
print(f"  summarize count() by DeviceName        {hc:>8}   {dc:>8}")
print(f"reindex           {rx_secs:10.1f} s   {rx_docs/rx_secs:10.0f} docs/s   peak RSS {rx_rss/1024:.0f} MiB")
if rx_docs != docs:
    print(f"WARNING: reindex rebuilt {rx_docs} documents of {docs}")
print(f"index (Azurite)   {az_secs:10.1f} s   {raw/1e6/az_secs:8.1f} MB/s   {az_docs/az_secs:10.0f} docs/s   peak RSS {az_rss/1024:.0f} MiB")
print(f"indexing throughput   local dir      Azurite   Azurite/local")
print(f"  MB/s               {raw/1e6/secs:10.1f}   {raw/1e6/az_secs:10.1f}   {100*secs/az_secs:12.0f}%")
print(f"  docs/s             {docs/secs:10.0f}   {az_docs/az_secs:10.0f}   {100*(az_docs/az_secs)/(docs/secs):12.0f}%")
if az_docs != docs:
    print(f"WARNING: {az_docs} documents from Azurite, {docs} from the local directory")
PY

# An hourly no-op run over a year of sealed partitions (target < 2 s, no reads).
scripts/bench-year.sh "$WORK"
