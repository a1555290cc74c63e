# (D)TLS failure paths over coaps:// and coaps+tcp://, against libcoap
# 4.3.5's coap-server on our libcoap-3-openssl (and, for the client side,
# our client against coap-server 4.3.5 on Debian's library): a wrong
# pre-shared key, an untrusted server certificate (wrong CA), an untrusted
# client certificate, an expired server certificate, and a peer that stops
# in the middle of the handshake (the server drops it after its handshake
# time limit, with a log line). Each attempt must fail cleanly while a
# healthy client keeps talking to the same server the whole time, and the
# server must stay up. (In sanitizer builds the servers' leak check runs
# when they stop.)
. "$INTEROP_DIR/lib.sh"
. "$INTEROP_DIR/programs/secure_lib.sh"

S_REF="$PEERS_DIR/coap-server-435-openssl"
S_OURS="$PEERS_DIR/coap-server-435-openssl-ours"
C_REF="$PEERS_DIR/coap-client-435-openssl"
C_OURS="$PEERS_DIR/coap-client-435-openssl-ours"
p=$PORT
start_bg ours "$S_OURS" -A 127.0.0.1 -p $p "${PSK_SERVER[@]}" "${PKI_SERVER[@]}" -v 4
start_bg ref "$S_REF" -A 127.0.0.1 -p $((p + 2)) "${PSK_SERVER[@]}" "${PKI_SERVER[@]}"
# Expired certificates: libcoap's examples accept them on purpose
# (allow_expired_certs), so the man page set-ups, which do not, check them.
setups=$OUR_BINDIR/../tests/interop/manpage_setups_openssl
start_bg expired_ref "$S_REF" -A 127.0.0.1 -p $((p + 4)) -c "$PKI/expired.pem" -j "$PKI/expired.key" \
  -C "$PKI/ca.pem" -n
start_bg setup_server "$setups" server-pki $((p + 6)) "$PKI/server.pem" "$PKI/server.key" "$PKI/ca.pem"
for i in 1 3 5; do wait_udp $((p + i)); wait_tcp $((p + i)); done
wait_udp $((p + 6))
OURS=$((p + 1)) REF=$((p + 3)) EXPIRED_REF=$((p + 5)) SETUP_SERVER=$((p + 6))

# The healthy client: a GET over DTLS and one over TLS every 0.3 s until
# the case ends; every one must succeed.
(
  while :; do
    for s in coaps coaps+tcp; do
      if timeout 10 "$C_OURS" "${PSK_CLIENT[@]}" -B 5 "$s://127.0.0.1:$OURS/" > /dev/null 2>&1; then
        echo ok >> "$WORK/healthy.txt"
      else
        echo "FAILED $s" >> "$WORK/healthy.txt"
      fi
    done
    sleep 0.3
  done
) &
healthy=$!
on_exit "kill $healthy 2>/dev/null"

for scheme in coaps coaps+tcp; do
  echo "== $scheme"
  for c in "$C_REF" "$C_OURS"; do
    name=$(basename "$c")
    expect_refused "$scheme: $name, wrong PSK -> our server" \
      "$c" -k wrong -u interop-id -B 4 "$scheme://127.0.0.1:$OURS/"
    expect_refused "$scheme: $name, untrusted client certificate -> our server" \
      "$c" -c "$PKI/other_server.pem" -j "$PKI/other_server.key" -C "$PKI/ca.pem" -B 4 \
      "$scheme://127.0.0.1:$OURS/"
  done
  # Our client refuses what it cannot trust, from either server.
  for port in $OURS $REF; do
    expect_refused "$scheme: our client, server certificate from an unknown CA ($port)" \
      "$C_OURS" -c "$PKI/client.pem" -j "$PKI/client.key" -C "$PKI/other_ca.pem" -B 4 \
      "$scheme://127.0.0.1:$port/"
    # Root CAs through coap_context_set_pki_root_cas() (-R).
    expect_refused "$scheme: our client, root CAs (-R) that do not include the server's ($port)" \
      "$C_OURS" -c "$PKI/client.pem" -j "$PKI/client.key" -R "$PKI/other_ca.pem" -B 4 \
      "$scheme://127.0.0.1:$port/"
    expect_text "$scheme: our client, root CAs (-R) with the server's CA ($port)" \
      "This is a test server" "$C_OURS" -c "$PKI/client.pem" -j "$PKI/client.key" \
      -R "$PKI/ca.pem" "$scheme://127.0.0.1:$port/"
    expect_refused "$scheme: our client, wrong PSK ($port)" \
      "$C_OURS" -k wrong -u interop-id -B 4 "$scheme://127.0.0.1:$port/"
  done
  # The right credentials still work with both servers.
  for port in $OURS $REF; do
    expect_text "$scheme: our client with the right key ($port)" "This is a test server" \
      "$C_OURS" "${PSK_CLIENT[@]}" "$scheme://127.0.0.1:$port/"
  done
done

echo "== expired certificates"
out=$("$setups" client-pki 127.0.0.1 $EXPIRED_REF "$PKI/client.pem" "$PKI/client.key" "$PKI/ca.pem" 2>&1)
case "$out" in *"This is a test server"*) fail "our client accepted an expired server certificate" ;; esac
ok "coaps: our client (man page PKI set-up) refuses coap-server 4.3.5's expired certificate"
out=$("$setups" client-pki 127.0.0.1 $REF "$PKI/client.pem" "$PKI/client.key" "$PKI/ca.pem" 2>&1)
case "$out" in "This is a test server"*) ok "coaps: the same set-up with a valid certificate works" ;;
  *) fail "coaps: the man page PKI client set-up failed: $out" ;; esac
expect_refused "coaps: coap-client 4.3.5 with an expired client certificate -> our server" \
  "$C_REF" -c "$PKI/expired.pem" -j "$PKI/expired.key" -C "$PKI/ca.pem" -B 4 \
  "coaps://127.0.0.1:$SETUP_SERVER/"
expect_text "coaps: coap-client 4.3.5 with a valid client certificate -> our server" \
  "man page server set-up" "$C_REF" "${PKI_CLIENT[@]}" "coaps://127.0.0.1:$SETUP_SERVER/"

# A peer that stops mid-handshake: only its first flights reach our server,
# which keeps the half-open handshake until its time limit (31 s, libcoap's
# figure) and then drops it with a log line.
echo "== stalled handshakes"
python3 "$INTEROP_DIR/programs/stall_proxy.py" udp $((p + 10)) $OURS 2 45 &
python3 "$INTEROP_DIR/programs/stall_proxy.py" tcp $((p + 11)) $OURS 1 45 &
sleep 0.5
expect_refused "coaps: handshake stalled by the peer" \
  "$C_OURS" "${PSK_CLIENT[@]}" -B 3 "coaps://127.0.0.1:$((p + 10))/"
expect_refused "coaps+tcp: handshake stalled by the peer" \
  "$C_OURS" "${PSK_CLIENT[@]}" -B 3 "coaps+tcp://127.0.0.1:$((p + 11))/"
for _ in $(seq 1 80); do
  dtls=$(grep -ac 'DTLS handshake timed out' "$WORK/ours.log")
  tls=$(grep -ac 'TLS handshake timed out' "$WORK/ours.log")
  [ "$dtls" -ge 1 ] && [ "$tls" -gt "$dtls" ] && break
  sleep 0.5
done
[ "$dtls" -ge 1 ] || fail "our server did not give up the stalled DTLS handshake"
[ "$tls" -gt "$dtls" ] || fail "our server did not give up the stalled TLS handshake"
ok "our server dropped the stalled handshakes: $(grep -a 'handshake timed out' "$WORK/ours.log" | cut -c1-100 | tr '\n' ';')"

kill $healthy 2>/dev/null
wait $healthy 2>/dev/null
good=$(grep -c '^ok' "$WORK/healthy.txt")
bad=$(grep -c FAILED "$WORK/healthy.txt")
[ "$bad" = 0 ] || fail "the healthy client failed $bad times: $(grep FAILED "$WORK/healthy.txt" | head -3)"
[ "$good" -ge 20 ] || fail "the healthy client got only $good answers"
ok "healthy client: $good requests answered during the failures, none failed"
kill -0 $PID_ours 2>/dev/null || fail "our server died"
grep -aE 'handshake failed|refused|alert' "$WORK/ours.log" | head -3 | sed 's/^/  server log: /'
ok "our server is still running"
