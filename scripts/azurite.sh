#!/usr/bin/env bash
# Starts and stops Azurite's Blob service (the Azure Storage emulator, npm
# package `azurite`) for the tests and the benchmark.
#
#   scripts/azurite.sh start DIR   # data in DIR; writes DIR/port and DIR/pid,
#                                  # prints the connection string on stdout
#   scripts/azurite.sh stop DIR    # stops the Azurite started with DIR
#
# With AZURITE_WATCH_PID=PID in the environment, start also leaves a watcher
# that stops Azurite and removes DIR once process PID has exited (test
# binaries use it, so that no emulator outlives them). With AZURITE_CERT and
# AZURITE_KEY (PEM files), it serves https and accepts Entra ID bearer tokens.
#
# Azurite is installed with npm into .tools/azurite (project-local, git-ignored)
# the first time it is needed; set AZURITE_BLOB to use another azurite-blob.
# It listens on 127.0.0.1 only, on a free port, with the well-known
# development account (devstoreaccount1).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools/azurite"
# The documented development-storage key (public, not a secret).
dev_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

usage() {
    echo "usage: $0 start DIR | stop DIR" >&2
    exit 2
}

install_azurite() {
    if [[ -n "${AZURITE_BLOB:-}" ]]; then
        echo "$AZURITE_BLOB"
        return
    fi
    local bin="$tools/node_modules/.bin/azurite-blob"
    if [[ ! -x "$bin" ]]; then
        command -v npm >/dev/null || {
            echo "azurite.sh: npm is needed to install Azurite (apt-get install npm)" >&2
            exit 1
        }
        echo "azurite.sh: installing Azurite into $tools" >&2
        mkdir -p "$tools"
        # A lock (where flock exists), so that test binaries starting Azurite
        # at once install it once.
        (
            if command -v flock >/dev/null; then
                flock 9
            fi
            if [[ ! -x "$bin" ]]; then
                npm install --prefix "$tools" --no-audit --no-fund --loglevel=error \
                    azurite@3.35.0 >&2
            fi
        ) 9>"$root/.tools/azurite.lock"
    fi
    echo "$bin"
}

free_port() {
    if command -v python3 >/dev/null; then
        python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
        return
    fi
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        listening "$port" || break
    done
    echo "$port"
}

# Whether something accepts connections on 127.0.0.1:$1.
listening() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
    local dir="$1" bin port pid tries
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    bin="$(install_azurite)"
    # With AZURITE_CERT and AZURITE_KEY (PEM files), serve https and accept
    # Microsoft Entra ID bearer tokens (Azurite checks their issuer,
    # audience and lifetime, not their signature).
    local tls=() scheme=http
    if [[ -n "${AZURITE_CERT:-}" && -n "${AZURITE_KEY:-}" ]]; then
        tls=(--cert "$AZURITE_CERT" --key "$AZURITE_KEY" --oauth basic)
        scheme=https
    fi
    for attempt in 1 2 3; do
        port="$(free_port)"
        "$bin" --blobHost 127.0.0.1 --blobPort "$port" --location "$dir" \
            --silent --skipApiVersionCheck --loose --disableTelemetry "${tls[@]}" \
            >"$dir/azurite.log" 2>&1 </dev/null &
        pid=$!
        tries=0
        while ! listening "$port"; do
            if ! kill -0 "$pid" 2>/dev/null; then
                break
            fi
            tries=$((tries + 1))
            if ((tries > 300)); then
                kill "$pid" 2>/dev/null || true
                break
            fi
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null && listening "$port"; then
            echo "$port" >"$dir/port"
            echo "$pid" >"$dir/pid"
            if [[ -n "${AZURITE_WATCH_PID:-}" ]]; then
                watch "$AZURITE_WATCH_PID" "$pid" "$dir" >/dev/null 2>&1 </dev/null &
                disown
            fi
            echo "DefaultEndpointsProtocol=$scheme;AccountName=devstoreaccount1;AccountKey=$dev_key;BlobEndpoint=$scheme://127.0.0.1:$port/devstoreaccount1;"
            return 0
        fi
        echo "azurite.sh: Azurite did not start on port $port (attempt $attempt):" >&2
        tail -n 5 "$dir/azurite.log" >&2 || true
    done
    exit 1
}

# Stops Azurite ($2) and removes its folder ($3) once process $1 has exited.
watch() {
    while kill -0 "$1" 2>/dev/null; do
        sleep 1
    done
    kill "$2" 2>/dev/null || true
    sleep 1
    kill -9 "$2" 2>/dev/null || true
    rm -rf "$3"
}

stop() {
    local dir="$1" pid
    [[ -f "$dir/pid" ]] || return 0
    pid="$(cat "$dir/pid")"
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/pid" "$dir/port"
}

[[ $# -eq 2 ]] || usage
case "$1" in
start) start "$2" ;;
stop) stop "$2" ;;
*) usage ;;
esac
