# The client and server set-ups of the coap_endpoint_client(3) and
# coap_endpoint_server(3) EXAMPLES, each run against a real peer:
# libcoap's coap-server / coap-client (4.3.5, on Debian's library).
# The DTLS set-ups need a (D)TLS-capable library: on the notls build they
# must report that (D)TLS is not supported; on libcoap-3-openssl they run
# against libcoap 4.3.5's coap-server / coap-client on Debian's OpenSSL
# library, with a pre-shared key and with certificates made at test time.
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

# The same set-ups on our OpenSSL library: real DTLS.
setups_ssl=$OUR_BINDIR/../tests/interop/manpage_setups_openssl
if [ -x "$setups_ssl" ] && [ -x "$PEERS_DIR/coap-server-435-openssl" ]; then
  . "$INTEROP_DIR/programs/pki_lib.sh"
  make_pki "$WORK/pki" || fail "cannot make the test certificates"
  K=$WORK/pki
  start_bg ref_ssl "$PEERS_DIR/coap-server-435-openssl" -A 127.0.0.1 -p $((PORT + 4)) -k secret \
    -c "$K/server.pem" -j "$K/server.key" -C "$K/ca.pem"
  wait_udp $((PORT + 5))
  out=$("$setups_ssl" client-psk 127.0.0.1 $((PORT + 5)) id secret)
  case "$out" in "This is a test server made with libcoap"*) ok "client PSK set-up (openssl)" ;;
    *) fail "client PSK set-up (openssl): $out" ;; esac
  out=$("$setups_ssl" client-pki 127.0.0.1 $((PORT + 5)) "$K/client.pem" "$K/client.key" "$K/ca.pem")
  case "$out" in "This is a test server made with libcoap"*) ok "client PKI set-up (openssl)" ;;
    *) fail "client PKI set-up (openssl): $out" ;; esac
  out=$("$setups_ssl" client-psk 127.0.0.1 $((PORT + 5)) id wrong 2>&1)
  case "$out" in *"This is a test server"*) fail "client PSK set-up with a wrong key answered" ;; esac
  ok "client PSK set-up with a wrong key gets no answer"
  start_bg ours_psk "$setups_ssl" server-psk $((PORT + 6)) hint secret
  start_bg ours_pki "$setups_ssl" server-pki $((PORT + 7)) "$K/server.pem" "$K/server.key" "$K/ca.pem"
  wait_udp $((PORT + 6)); wait_udp $((PORT + 7))
  expect_eq "server PSK set-up (openssl)" "man page server set-up" \
    "$("$PEERS_DIR/coap-client-435-openssl" -k secret -u id coaps://127.0.0.1:$((PORT + 6))/)"
  expect_eq "server PKI set-up (openssl)" "man page server set-up" \
    "$("$PEERS_DIR/coap-client-435-openssl" -c "$K/client.pem" -j "$K/client.key" -C "$K/ca.pem" \
       coaps://127.0.0.1:$((PORT + 7))/)"
else
  echo "note: no OpenSSL build, the PSK/PKI set-ups ran on notls only"
fi
