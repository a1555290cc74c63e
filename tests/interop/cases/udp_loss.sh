# Simulated loss (-l on both sides, coap_debug_set_packet_loss()): the
# first transmissions are dropped and CoAP's retransmission still completes
# the exchange, with our library on either side.
. "$INTEROP_DIR/lib.sh"
start_bg ref "$PEERS_DIR/coap-server-435" -A 127.0.0.1 -p $PORT -l 1,3
start_bg ours "$PEERS_DIR/coap-server-435-ours" -A 127.0.0.1 -p $((PORT + 1)) -l 1,3
wait_udp $PORT; wait_udp $((PORT + 1))
r=coap://127.0.0.1:$PORT o=coap://127.0.0.1:$((PORT + 1))
for c in "$PEERS_DIR/coap-client-435 -l 1" "$PEERS_DIR/coap-client-435-ours -l 1"; do
  compare "$c GET / with loss" "$c $r/" "$c $o/"
  compare "$c PUT with loss" "$c -m put -e lossy $r/example_data" "$c -m put -e lossy $o/example_data"
  compare "$c GET with loss" "$c $r/example_data" "$c $o/example_data"
done
