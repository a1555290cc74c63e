# Block-wise transfers with our library as the client, against libcoap
# 4.3.5's coap-server ("example_data" takes a PUT of any size and returns
# it with GET): our block_client (single-body and per-block delivery, every
# block size) and bookworm's coap-client-notls running on our library
# upload 1 MiB and read it back; payload bytes are compared with cmp.
. "$INTEROP_DIR/lib.sh"
. "$INTEROP_DIR/programs/block_lib.sh"
build_block_programs
head -c 1048576 /dev/urandom > "$WORK/up.bin"

start_bg ref "$PEERS_DIR/coap-server-435" -A 127.0.0.1 -p "$PORT"
wait_udp "$PORT"
uri=coap://127.0.0.1:$PORT/example_data

for mode in 3 1; do
  for b in 16 64 256 1024; do
    head -c $((1048576 - b * 7 - 3)) /dev/urandom > "$WORK/up.bin"
    timeout 120 "$WORK/block_client" -L $mode -b $b -m put -f "$WORK/up.bin" "$uri" > "$WORK/put.txt" ||
      fail "block_client -L $mode PUT -b $b: $(cat "$WORK/put.txt")"
    rm -f "$WORK/out.bin"
    timeout 120 "$WORK/block_client" -L $mode -b $b -o "$WORK/out.bin" "$uri" > "$WORK/get.txt" ||
      fail "block_client -L $mode GET -b $b"
    same_bytes "block_client -L $mode PUT+GET -b $b ($(cat "$WORK/get.txt"))" "$WORK/up.bin" "$WORK/out.bin"
  done
done
# The server's preferred size (no hint) and NON.
timeout 120 "$WORK/block_client" -m put -f "$WORK/up.bin" "$uri" > /dev/null || fail "PUT no hint"
rm -f "$WORK/out.bin"
timeout 120 "$WORK/block_client" -N -o "$WORK/out.bin" "$uri" > /dev/null || fail "NON GET"
same_bytes "block_client NON GET" "$WORK/up.bin" "$WORK/out.bin"

for b in 16 1024; do
  timeout 120 debian_on_ours "$DEBIAN_BIN/coap-client-notls" -b $b -m put -f "$WORK/up.bin" "$uri" ||
    fail "coap-client-notls on ours PUT -b $b"
  rm -f "$WORK/out.bin"
  timeout 120 debian_on_ours "$DEBIAN_BIN/coap-client-notls" -b $b -o "$WORK/out.bin" "$uri" ||
    fail "coap-client-notls on ours GET -b $b"
  same_bytes "coap-client-notls (bookworm) on our library PUT+GET -b $b" "$WORK/up.bin" "$WORK/out.bin"
done
