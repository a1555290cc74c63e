# Helpers for the ws_*.sh cases (sourced after lib.sh and tcp_lib.sh).
#
# libcoap 4.3.5's WebSocket code has two limits the cases work around
# (both hold between two libcoap 4.3.5 peers as much as with ours):
#  - it reads a WebSocket message into a 1472-byte buffer: larger messages
#    make its server crash and its client fail, although its CSM announces
#    a Max-Message-Size of 8 MiB. Transfers with libcoap peers are
#    block-wise (-b 1024); 1 MiB as one message runs between ours only;
#  - it ignores messages of exactly 2 bytes (no token, options or payload),
#    such as the 2.04 answering a PUT sent with coap-client's empty token:
#    its coap-client then waits (-B) for an answer that it dropped.

ws_peers() {
  S_REF="$PEERS_DIR/coap-server-435"
  S_OURS="$PEERS_DIR/coap-server-435-ours"
  C_REF="$PEERS_DIR/coap-client-435"
  C_OURS="$PEERS_DIR/coap-client-435-ours"
  [ -x "$S_OURS" ] && [ -x "$C_OURS" ] || fail "libcoap's examples did not build against our library"
  WS_CLIENTS=("$C_REF" "$C_OURS")
  WS_CLIENT_NAMES=("coap-client 4.3.5" "coap-client 4.3.5 on ours")
}
