# 1 MiB over coap+tcp, both ways, between libcoap 4.3.5's coap-server and
# coap-client (each on Debian's library and on ours) and bookworm's 4.3.1
# binaries: as one message (the default Max-Message-Size is 8 MiB),
# block-wise with the block size the client asks for (-b), and with BERT
# (RFC 8323 section 6) when the receiver's Max-Message-Size is small (-X:
# the peer then sends several KiB per block). Payload bytes are compared
# with cmp after every transfer.
. "$INTEROP_DIR/lib.sh"
. "$INTEROP_DIR/programs/tcp_lib.sh"
. "$INTEROP_DIR/programs/block_lib.sh"
tcp_clients
head -c 1048576 /dev/urandom > "$WORK/big.bin"

S_REF="$PEERS_DIR/coap-server-435"
S_OURS="$PEERS_DIR/coap-server-435-ours"
p=$PORT
# Servers: reference and ours, with the default and a small (BERT-sized)
# Max-Message-Size; bookworm's server on ours.
start_bg ref "$S_REF" -A 127.0.0.1 -p $p
start_bg ours "$S_OURS" -A 127.0.0.1 -p $((p + 1))
start_bg ref_small "$S_REF" -A 127.0.0.1 -p $((p + 2)) -X 5000
start_bg ours_small "$S_OURS" -A 127.0.0.1 -p $((p + 3)) -X 5000
start_bg deb_ours debian_on_ours "$DEBIAN_BIN/coap-server-notls" -A 127.0.0.1 -p $((p + 4))
for i in 0 1 2 3 4; do wait_tcp $((p + i)); done
names=("coap-server 4.3.5" "coap-server 4.3.5 on ours" "coap-server 4.3.5 -X 5000"
       "coap-server 4.3.5 on ours -X 5000" "bookworm coap-server on ours")

# transfer LABEL CLIENT_INDEX PORT PUT_ARGS GET_ARGS
transfer() {
  local label=$1 ci=$2 port=$3 put_args=$4 get_args=$5
  local c=${TCP_CLIENTS[$ci]} uri=coap+tcp://127.0.0.1:$3/example_data
  timeout 120 $c $put_args -m put -f "$WORK/big.bin" "$uri" > /dev/null 2>&1 ||
    fail "$label: PUT failed"
  rm -f "$WORK/out.bin"
  timeout 120 $c $get_args -o "$WORK/out.bin" "$uri" > /dev/null 2>&1 || fail "$label: GET failed"
  same_bytes "$label" "$WORK/big.bin" "$WORK/out.bin"
}

for si in 0 1 2 3 4; do
  port=$((p + si))
  for ci in 0 1 2 3; do
    label="${TCP_CLIENT_NAMES[$ci]} -> ${names[$si]}"
    transfer "$label: 1 MiB as one message" $ci $port "" ""
    transfer "$label: -b 1024" $ci $port "-b 1024" "-b 1024"
    transfer "$label: -b 64" $ci $port "-b 64" "-b 64"
    case $ci in
      0|1) transfer "$label: client -X 5000 (BERT answers)" $ci $port "" "-X 5000" ;;
    esac
  done
done

# The BERT blocks really are BERT: our server with -X 5000 receives
# Block1 SZX 7 from coap-client 4.3.5; our client with -X 5000 receives
# Block2 SZX 7 from coap-server 4.3.5.
out=$(timeout 60 "$PEERS_DIR/coap-client-435" -v 7 -m put -f "$WORK/big.bin" \
      "coap+tcp://127.0.0.1:$((p + 3))/example_data" 2>&1)
n=$(printf '%s\n' "$out" | grep -a 'c:PUT' | grep -ac 'Block1:[0-9]*/M/BERT(4096)')
[ "$n" -ge 200 ] || fail "coap-client 4.3.5 sent only $n BERT blocks to our server"
ok "coap-client 4.3.5 -> our server (-X 5000): $n BERT Block1 blocks of 4 KiB"
out=$(timeout 60 "$PEERS_DIR/coap-client-435-ours" -v 7 -X 5000 -o "$WORK/out.bin" \
      "coap+tcp://127.0.0.1:$p/example_data" 2>&1)
same_bytes "our client -X 5000 <- coap-server 4.3.5" "$WORK/big.bin" "$WORK/out.bin"
n=$(printf '%s\n' "$out" | grep -a 'c:GET' | grep -ac 'Block2:[0-9]*/_/BERT')
[ "$n" -ge 200 ] || fail "our client asked for only $n BERT blocks"
ok "our client (-X 5000) <- coap-server 4.3.5: asked for $n BERT Block2 blocks"
