#!/usr/bin/env bash
# The main job: builds the library and its example programs, starts the
# demo server on loopback and lets the demo client talk to it.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"
cmake -S "$top" -B "$top/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$top/build" -j"$(nproc)" --target demo-server demo-client
bin=$top/build/examples
port=${DEMO_PORT:-5683}
"$bin/demo-server" -p "$port" &
server=$!
trap 'kill $server 2>/dev/null' EXIT
sleep 0.3
uri=coap://127.0.0.1:$port
run() { echo "\$ demo-client $*"; "$bin/demo-client" "$@"; }
run "$uri/"
run "$uri/time"
run -m put -e "hello, CoAP" "$uri/store"
run "$uri/store"
run -N "$uri/store"
run -m delete "$uri/store"
run "$uri/.well-known/core"
run "$uri/missing" || true
