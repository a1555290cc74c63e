# CoAP over secure WebSockets (coaps+ws, RFC 8323 section 4 over TLS):
# libcoap 4.3.5's coap-client and coap-server on Debian's OpenSSL library
# and, unchanged, on our libcoap-3-openssl, every client against every
# server, with a pre-shared key and with certificates made at test time:
# GET, PUT then GET, Observe of /time, and 1 MiB block-wise both ways.
# (Bookworm's 4.3.1 has no WebSockets. The PUTs wait with -B: libcoap's
# WebSocket code drops their 2-byte answer, see programs/ws_lib.sh.)
. "$INTEROP_DIR/lib.sh"
. "$INTEROP_DIR/programs/secure_lib.sh"
head -c 1048576 /dev/urandom > "$WORK/big.bin"

servers=("${SECURE_SERVERS[0]}" "${SECURE_SERVERS[1]}")
clients=("${SECURE_CLIENTS[0]}" "${SECURE_CLIENTS[1]}")
p=$PORT
for si in 0 1; do
  start_bg "srv$si" ${servers[$si]} -A 127.0.0.1 -p $((p + 4 * si)) \
    -w $((p + 4 * si + 2)),$((p + 4 * si + 3)) "${PSK_SERVER[@]}" "${PKI_SERVER[@]}"
done
for si in 0 1; do wait_tcp $((p + 4 * si + 3)); done

for si in 0 1; do
  uri=coaps+ws://127.0.0.1:$((p + 4 * si + 3))
  for ci in 0 1; do
    c=${clients[$ci]}
    for mode in psk pki; do
      if [ $mode = psk ]; then creds=("${PSK_CLIENT[@]}"); else creds=("${PKI_CLIENT[@]}"); fi
      label="coaps+ws $mode: ${SECURE_CLIENT_NAMES[$ci]} -> ${SECURE_SERVER_NAMES[$si]}"
      expect_text "$label: GET /" "This is a test server made with libcoap" $c "${creds[@]}" "$uri/"
      timeout 30 $c "${creds[@]}" -B 3 -m put -e "v$ci$mode" "$uri/example_data" > /dev/null 2>&1 ||
        fail "$label: PUT failed"
      expect_text "$label: GET after PUT" "v$ci$mode" $c "${creds[@]}" "$uri/example_data"
    done
    label="coaps+ws: ${SECURE_CLIENT_NAMES[$ci]} -> ${SECURE_SERVER_NAMES[$si]}"
    out=$(timeout 30 $c "${PSK_CLIENT[@]}" -v 7 -s 3 "$uri/time" 2>&1) || fail "$label: observe failed"
    notes=$(printf '%s\n' "$out" | grep -a 'c:2.05' | grep -ac 'Observe:[0-9]')
    [ "$notes" -ge 3 ] || fail "$label: only $notes notifications in 3 s"
    ok "$label: observe /time: $notes notifications"
    timeout 120 $c "${PSK_CLIENT[@]}" -b 1024 -m put -f "$WORK/big.bin" "$uri/example_data" \
      > /dev/null 2>&1 || fail "$label: 1 MiB PUT failed"
    rm -f "$WORK/out.bin"
    timeout 120 $c "${PSK_CLIENT[@]}" -b 1024 -o "$WORK/out.bin" "$uri/example_data" \
      > /dev/null 2>&1 || fail "$label: 1 MiB GET failed"
    same_bytes "$label: 1 MiB PUT then GET, -b 1024" "$WORK/big.bin" "$WORK/out.bin"
  done
done
