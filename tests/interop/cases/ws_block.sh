# 1 MiB over coap+ws, both ways, between libcoap 4.3.5's coap-server and
# coap-client, each on Debian's library and on ours: PUT then GET,
# block-wise with the block size the client asks for (-b 1024, -b 64).
# Between our own peers also as one message (a 64-bit WebSocket length;
# libcoap's WebSocket code cannot read messages above 1472 bytes, see
# programs/ws_lib.sh). Payload bytes are compared with cmp after every
# transfer.
. "$INTEROP_DIR/lib.sh"
. "$INTEROP_DIR/programs/tcp_lib.sh"
. "$INTEROP_DIR/programs/block_lib.sh"
. "$INTEROP_DIR/programs/ws_lib.sh"
ws_peers
head -c 1048576 /dev/urandom > "$WORK/big.bin"

p=$PORT
start_bg ref "$S_REF" -A 127.0.0.1 -p $p -w $((p + 1))
start_bg ours "$S_OURS" -A 127.0.0.1 -p $((p + 2)) -w $((p + 3))
wait_tcp $((p + 1)); wait_tcp $((p + 3))
ports=($((p + 1)) $((p + 3)))
names=("coap-server 4.3.5" "coap-server 4.3.5 on ours")

# transfer LABEL CLIENT PORT ARGS
transfer() {
  local label=$1 c=$2 uri=coap+ws://127.0.0.1:$3/example_data args=$4
  timeout 120 $c $args -m put -f "$WORK/big.bin" "$uri" > /dev/null 2>&1 ||
    fail "$label: PUT failed"
  rm -f "$WORK/out.bin"
  timeout 120 $c $args -o "$WORK/out.bin" "$uri" > /dev/null 2>&1 || fail "$label: GET failed"
  same_bytes "$label" "$WORK/big.bin" "$WORK/out.bin"
}

for si in 0 1; do
  for ci in 0 1; do
    label="${WS_CLIENT_NAMES[$ci]} -> ${names[$si]}"
    transfer "$label: -b 1024" "${WS_CLIENTS[$ci]}" ${ports[$si]} "-b 1024"
    transfer "$label: -b 64" "${WS_CLIENTS[$ci]}" ${ports[$si]} "-b 64"
  done
done
transfer "coap-client 4.3.5 on ours -> coap-server 4.3.5 on ours: 1 MiB as one message" \
  "$C_OURS" $((p + 3)) ""

# The blocks really went as blocks of 1024 bytes each way.
out=$(timeout 60 "$C_OURS" -v 7 -b 1024 -o "$WORK/out.bin" "coap+ws://127.0.0.1:$((p + 1))/example_data" 2>&1)
n=$(printf '%s\n' "$out" | grep -a 'v:WebSocket c:2.05' | grep -ac 'Block2:[0-9]*/[M_]/1024')
[ "$n" -ge 1024 ] || fail "our client got only $n Block2 answers of 1024 bytes from coap-server 4.3.5"
ok "our client <- coap-server 4.3.5: $n Block2 blocks of 1024 bytes"
