# The client and server set-ups of the coap_endpoint_client(3) and
# coap_endpoint_server(3) EXAMPLES, each run against a real peer:
# libcoap's coap-server / coap-client (4.3.5, on Debian's library).
# The DTLS set-ups need a (D)TLS-capable library: on the notls build they
# must report that (D)TLS is not supported.
. "$INTEROP_DIR/lib.sh"
setups=$OUR_BINDIR/../tests/interop/manpage_setups

start_bg ref "$PEERS_DIR/coap-server-435" -A 127.0.0.1 -p $PORT
ref_sock=/tmp/ms$PORT.sock
rm -f "$ref_sock"
start_bg ref_unix "$PEERS_DIR/coap-server-435" -A "$ref_sock" -U coap
wait_udp $PORT
sleep 0.3

out=$("$setups" client-udp 127.0.0.1 $PORT "")
case "$out" in "This is a test server made with libcoap"*) ok "client non-encrypted set-up" ;;
  *) fail "client non-encrypted set-up: $out" ;; esac
out=$("$setups" client-unix "$ref_sock" /tmp/mc$PORT.sock)
case "$out" in "This is a test server made with libcoap"*) ok "client Unix-domain set-up" ;;
  *) fail "client Unix-domain set-up: $out" ;; esac
[ -e /tmp/mc$PORT.sock ] && fail "the client's Unix-domain path was not removed on close"
ok "client Unix-domain path removed on close"

out=$("$setups" client-psk 127.0.0.1 $((PORT + 1)) id secret) && fail "PSK without DTLS"
expect_eq "client PSK set-up on notls" "no (D)TLS support" "$out"
out=$("$setups" client-pki 127.0.0.1 $((PORT + 1)) c k ca) && fail "PKI without DTLS"
expect_eq "client PKI set-up on notls" "no (D)TLS support" "$out"

start_bg ours "$setups" server-udp $((PORT + 2))
our_sock=/tmp/ms$PORT-o.sock
start_bg ours_unix "$setups" server-unix "$our_sock"
wait_udp $((PORT + 2))
sleep 0.3
expect_eq "server non-encrypted set-up" "man page server set-up" \
  "$("$PEERS_DIR/coap-client-435" coap://127.0.0.1:$((PORT + 2))/)"
expect_eq "server Unix-domain set-up" "man page server set-up" \
  "$("$PEERS_DIR/coap-client-435" "coap://$(printf '%s' "$our_sock" | sed 's|/|%2F|g')/")"
out=$("$setups" server-psk $((PORT + 3)) hint secret) && fail "PSK server without DTLS"
expect_eq "server PSK set-up on notls" "no (D)TLS support" "$out"
out=$("$setups" server-pki $((PORT + 3)) c k ca) && fail "PKI server without DTLS"
expect_eq "server PKI set-up on notls" "no (D)TLS support" "$out"
kill $PID_ours_unix 2>/dev/null; wait $PID_ours_unix 2>/dev/null
[ -e "$our_sock" ] && fail "the server's Unix-domain path was not removed on exit"
ok "server Unix-domain path removed on exit"
rm -f "$ref_sock"
