# CoAP over WebSockets with a WebSocket implementation none of us wrote:
# the npm package "ws", driven by programs/ws_peer.js (Node.js), which
# builds and checks the CoAP bytes itself.
#  - as a client against libcoap 4.3.5's coap-server on our library: the
#    upgrade with the "coap" subprotocol (offering permessage-deflate,
#    which is declined), CSM, a WebSocket ping, GET /, a GET sent in two
#    fragments, the closing handshake; the same without the extension, the
#    ping and the fragments against coap-server on Debian's libcoap (which
#    refuses an extension offer and closes on a ping or a continuation
#    frame), so the driver itself is known to be right;
#  - as a server for libcoap 4.3.5's coap-client on our library: the
#    request's Host and subprotocol, masked frames (ws refuses unmasked
#    ones), a ping answered, the answer to GET, the close when done.
# The package is installed with npm into the build tree on first use.
. "$INTEROP_DIR/lib.sh"
. "$INTEROP_DIR/programs/tcp_lib.sh"
. "$INTEROP_DIR/programs/ws_lib.sh"
ws_peers

command -v node > /dev/null && command -v npm > /dev/null ||
  fail "node and npm are needed (scripts/install-deps.sh installs them)"
NODE_DIR=$OUR_LIBDIR/../tests/interop/node-ws
if [ ! -f "$NODE_DIR/node_modules/ws/package.json" ]; then
  mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --loglevel=error ws@8 > npm.log 2>&1) ||
    { cat "$NODE_DIR/npm.log"; fail "npm install ws failed"; }
fi
export NODE_PATH=$NODE_DIR/node_modules
ok "npm package ws $(node -p 'require("ws/package.json").version')"
PEER=$INTEROP_DIR/programs/ws_peer.js

p=$PORT
start_bg ours "$S_OURS" -A 127.0.0.1 -p $p -w $((p + 1))
start_bg ref "$S_REF" -A 127.0.0.1 -p $((p + 2)) -w $((p + 3))
wait_tcp $((p + 1)); wait_tcp $((p + 3))

check_client() {
  local label=$1 out
  shift
  out=$(timeout 20 node "$PEER" client "$@" 2>&1) || { printf '%s\n' "$out"; fail "$label"; }
  printf '%s\n' "$out" | sed 's/^/    /'
  ok "$label"
}
check_client "ws client -> coap-server 4.3.5 on ours" "ws://127.0.0.1:$((p + 1))/.well-known/coap"
check_client "ws client -> coap-server 4.3.5 on ours, no extension offered" \
  "ws://127.0.0.1:$((p + 1))/.well-known/coap" --plain
check_client "ws client -> coap-server 4.3.5 (Debian's libcoap), no extension, ping or fragments" \
  "ws://127.0.0.1:$((p + 3))/.well-known/coap" --plain --no-ping --whole

# ws as the server; coap-client on our library asks it.
start_bg node_server node "$PEER" server $((p + 4))
wait_tcp $((p + 4))
out=$(timeout 20 "$C_OURS" -B 5 "coap+ws://127.0.0.1:$((p + 4))/hello/there" 2>&1) ||
  fail "coap-client on ours -> ws server: exit $?"
expect_eq "coap-client on ours <- ws server: payload" "hello from node ws" "$out"
for _ in $(seq 1 50); do grep -q '^closed' "$WORK/node_server.log" && break; sleep 0.1; done
log=$(cat "$WORK/node_server.log")
printf '%s\n' "$log" | sed 's/^/    /'
printf '%s\n' "$log" | grep -q "^upgrade: GET /.well-known/coap, host 127.0.0.1:$((p + 4)), subprotocol coap, version 13$" ||
  fail "ws server: the upgrade request"
printf '%s\n' "$log" | grep -q '^GET /hello/there, token' || fail "ws server: no GET"
printf '%s\n' "$log" | grep -q '^pong: from node$' || fail "ws server: our client did not answer the ping"
printf '%s\n' "$log" | grep -q '^closed: 1000$' || fail "ws server: no close 1000"
ok "ws server: upgrade, masked frames, GET, pong and close 1000 from our client"
