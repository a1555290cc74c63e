# Block-wise transfers with our library as the server: libcoap 4.3.5's
# coap-client, bookworm's coap-client-notls on Debian's library and on ours
# fetch 1 MiB with every block size they offer (Block2) and upload 1 MiB
# (Block1) that is then read back; payload bytes are compared with cmp.
# Our server runs once with single-body delivery and once block by block.
. "$INTEROP_DIR/lib.sh"
. "$INTEROP_DIR/programs/block_lib.sh"
build_block_programs
head -c 1048576 /dev/urandom > "$WORK/big.bin"
head -c 1048576 /dev/urandom > "$WORK/up.bin"

start_bg single "$WORK/block_server" -p "$PORT" -F "$WORK/big.bin" -L 3
start_bg perblock "$WORK/block_server" -p $((PORT + 1)) -F "$WORK/big.bin" -L 1
wait_udp "$PORT"
wait_udp $((PORT + 1))

clients=("$PEERS_DIR/coap-client-435" "debian_on_debian $DEBIAN_BIN/coap-client-notls"
         "debian_on_ours $DEBIAN_BIN/coap-client-notls")
for port in "$PORT" $((PORT + 1)); do
  uri=coap://127.0.0.1:$port
  for client in "${clients[@]}"; do
    for b in 16 64 256 1024; do
      rm -f "$WORK/out.bin"
      timeout 120 $client -b $b -o "$WORK/out.bin" "$uri/big" || fail "$client GET -b $b"
      same_bytes "port $port: $client GET 1 MiB -b $b" "$WORK/big.bin" "$WORK/out.bin"
    done
    for b in 16 1024; do
      timeout 120 $client -b $b -m put -f "$WORK/up.bin" "$uri/store" > /dev/null ||
        fail "$client PUT -b $b"
      rm -f "$WORK/out.bin"
      timeout 120 $client -o "$WORK/out.bin" "$uri/store" || fail "$client GET /store"
      same_bytes "port $port: $client PUT 1 MiB -b $b, read back" "$WORK/up.bin" "$WORK/out.bin"
    done
  done
done
# NON requests and our own client against our server.
rm -f "$WORK/out.bin"
timeout 120 "$PEERS_DIR/coap-client-435" -N -b 256 -o "$WORK/out.bin" "coap://127.0.0.1:$PORT/big" ||
  fail "NON GET"
same_bytes "coap-client-435 NON GET -b 256" "$WORK/big.bin" "$WORK/out.bin"
rm -f "$WORK/out.bin"
"$WORK/block_client" -o "$WORK/out.bin" "coap://127.0.0.1:$PORT/big" > /dev/null ||
  fail "block_client GET"
same_bytes "block_client GET from block_server" "$WORK/big.bin" "$WORK/out.bin"
