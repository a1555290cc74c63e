# Hostile and careless TCP peers against our library (libcoap 4.3.5's
# coap-server built on it), with a hand-driven peer (programs/tcp_peer.c):
#  - an HTTP request on the CoAP port: Abort, connection closed, log line;
#  - a connection that never says anything: closed after the CSM timeout;
#  - 300 such connections at once: all closed, no descriptor left behind;
#  - a reader with a tiny window that half-closes before reading a 6 MiB
#    response: every byte still arrives (output is queued, never dropped);
#  - more connections than the server has descriptors (ulimit -n 40):
#    accepting pauses instead of spinning, and resumes as connections close;
# and the server still answers normal requests afterwards.
. "$INTEROP_DIR/lib.sh"
. "$INTEROP_DIR/programs/tcp_lib.sh"

gcc -std=c99 -D_GNU_SOURCE -O1 -Wall -Wextra -Werror "$INTEROP_DIR/programs/tcp_peer.c" \
    -o "$WORK/tcp_peer" || fail "cannot build tcp_peer"
start_bg srv "$PEERS_DIR/coap-server-435-ours" -A 127.0.0.1 -p $PORT -v 4
wait_tcp $PORT
pid=$PID_srv
uri=coap+tcp://127.0.0.1:$PORT
fds() { ls /proc/$pid/fd | wc -l; }
base=$(fds)

expect_eq "garbage" "garbage: connection closed by the server" "$("$WORK/tcp_peer" $PORT garbage)"
grep -q "malformed message of .* aborting the connection" "$WORK/srv.log" ||
  fail "no log line about the garbage"
ok "server log: $(grep -m1 'aborting the connection' "$WORK/srv.log" | sed 's/^.*WARN //')"

expect_eq "silent peer" "silent: closed by the server after less than 2.5 s (7 bytes received)" \
  "$("$WORK/tcp_peer" $PORT silent)"

expect_eq "300 silent peers" "many: 300 of 300 silent connections closed by the server" \
  "$("$WORK/tcp_peer" $PORT many 300)"
sleep 0.2
now=$(fds)
[ "$now" -le "$base" ] || fail "the server holds $now descriptors, $base before"
ok "descriptors after the silent peers: $now (before: $base)"

head -c 6291456 /dev/urandom > "$WORK/six.bin"
timeout 60 "$PEERS_DIR/coap-client-435" -m put -f "$WORK/six.bin" "$uri/example_data" ||
  fail "PUT 6 MiB"
expect_eq "slow reader" "slow: received a 2.05 payload of 6291456 bytes" \
  "$("$WORK/tcp_peer" $PORT slow example_data 1500)"

timeout 60 "$PEERS_DIR/coap-client-435" -o "$WORK/out.bin" "$uri/example_data" || fail "GET 6 MiB"
cmp -s "$WORK/six.bin" "$WORK/out.bin" || fail "the 6 MiB read back differ"
ok "still serving: 6 MiB read back identical"
kill -0 $pid || fail "the server died"
ok "server alive"

# Out of descriptors: a server limited to 40 of them, 100 silent peers.
# (Not under the sanitizers, whose runtime needs descriptors of its own.)
[ -n "${COAP_SANITIZE_RUNTIME:-}" ] && return 0
start_bg lim bash -c "ulimit -n 40 && exec '$PEERS_DIR/coap-server-435-ours' -A 127.0.0.1 -p $((PORT + 1))"
wait_tcp $((PORT + 1))
expect_eq "100 silent peers, 40 descriptors" \
  "many: 100 of 100 silent connections closed by the server" "$("$WORK/tcp_peer" $((PORT + 1)) many 100)"
expect_eq "GET after running out of descriptors" "hello" \
  "$(timeout 10 "$PEERS_DIR/coap-client-435" -m put -e hello "coap+tcp://127.0.0.1:$((PORT + 1))/example_data" &&
     timeout 10 "$PEERS_DIR/coap-client-435" "coap+tcp://127.0.0.1:$((PORT + 1))/example_data")"
grep -q "cannot accept a connection" "$WORK/lim.log" || fail "no log line about the descriptor shortage"
ok "server log: $(grep -m1 'cannot accept' "$WORK/lim.log" | sed 's/^.*WARN //')"
