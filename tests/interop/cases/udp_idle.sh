# The I/O loop sleeps until the next timer or packet: idle servers and a
# client waiting for a retransmission use (almost) no CPU. Measured from
# /proc/<pid>/stat (user+system clock ticks, 100 per second).
. "$INTEROP_DIR/lib.sh"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

start_bg ours "$OUR_BINDIR/demo-server" -p $PORT
start_bg lib "$PEERS_DIR/coap-server-435-ours" -A 127.0.0.1 -p $((PORT + 1))
wait_udp $PORT; wait_udp $((PORT + 1))
# One request each, then leave them idle for three seconds.
"$OUR_BINDIR/demo-client" coap://127.0.0.1:$PORT/ > /dev/null || fail "demo-server did not answer"
"$PEERS_DIR/coap-client-435" coap://127.0.0.1:$((PORT + 1))/ > /dev/null || fail "coap-server did not answer"
before_ours=$(cpu_ticks $PID_ours) before_lib=$(cpu_ticks $PID_lib)
sleep 3
used_ours=$(( $(cpu_ticks $PID_ours) - before_ours ))
used_lib=$(( $(cpu_ticks $PID_lib) - before_lib ))
[ $used_ours -le 2 ] || fail "idle demo-server used $used_ours ticks in 3 s"
ok "idle demo-server used $used_ours clock ticks in 3 s"
[ $used_lib -le 2 ] || fail "idle coap-server (libcoap's example on our library) used $used_lib ticks in 3 s"
ok "idle coap-server on our library used $used_lib clock ticks in 3 s"

# A client whose server never answers waits for retransmissions without
# spinning: 2 + 4 s of back-off, measured over 5 s. The "server" is a
# socket that reads nothing (so no ICMP error ends the wait early).
start_bg sink python3 -c "import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', $((PORT + 2))))
time.sleep(60)"
wait_udp $((PORT + 2))
"$OUR_BINDIR/demo-client" coap://127.0.0.1:$((PORT + 2))/ > /dev/null 2>&1 &
client=$!
sleep 0.2
before=$(cpu_ticks $client)
sleep 5
used=$(( $(cpu_ticks $client) - before ))
kill -0 $client 2>/dev/null || fail "the client stopped instead of waiting"
kill $client 2>/dev/null
[ $used -le 2 ] || fail "client waiting for retransmissions used $used ticks in 5 s"
ok "client waiting for retransmissions used $used clock ticks in 5 s"
