# CoAP over TCP (coap+tcp, RFC 8323): requests of every method, discovery,
# dynamic resources and error codes over IPv4, IPv6 and Unix-domain stream
# sockets. libcoap 4.3.5's coap-server runs once on Debian's libcoap and
# once on ours; every client (libcoap 4.3.5's coap-client on both
# libraries, bookworm's 4.3.1 coap-client-notls on both) must see the same
# answers from both servers.
. "$INTEROP_DIR/lib.sh"
. "$INTEROP_DIR/programs/tcp_lib.sh"

S_REF="$PEERS_DIR/coap-server-435"
S_OURS="$PEERS_DIR/coap-server-435-ours"
C_REF="$PEERS_DIR/coap-client-435"
C_OURS="$PEERS_DIR/coap-client-435-ours"
[ -x "$S_OURS" ] && [ -x "$C_OURS" ] || fail "libcoap's examples did not build against our library"

requests() {
  local c=$1 r=$2 o=$3
  compare "$c GET /" "$c $r/" "$c $o/"
  compare "$c discovery" "$c $r/.well-known/core" "$c $o/.well-known/core"
  compare "$c discovery filtered" "$c '$r/.well-known/core?rt=ticks'" "$c '$o/.well-known/core?rt=ticks'"
  compare "$c 4.04" "$c -v 0 $r/missing" "$c -v 0 $o/missing"
  compare "$c PATCH is 4.05" "$c -v 0 -m patch -e x $r/example_data" "$c -v 0 -m patch -e x $o/example_data"
  for m in put post; do
    compare "$c $m dynamic" "$c -m $m -e v-$m $r/dyn-$m" "$c -m $m -e v-$m $o/dyn-$m"
    compare "$c GET dynamic after $m" "$c $r/dyn-$m" "$c $o/dyn-$m"
    compare "$c FETCH dynamic after $m" "$c -m fetch $r/dyn-$m" "$c -m fetch $o/dyn-$m"
  done
  compare "$c PUT example_data" "$c -m put -e tcp-put $r/example_data" "$c -m put -e tcp-put $o/example_data"
  compare "$c GET example_data" "$c $r/example_data" "$c $o/example_data"
  compare "$c DELETE dynamic" "$c -m delete $r/dyn-put" "$c -m delete $o/dyn-put"
  compare "$c GET deleted" "$c -v 0 $r/dyn-put" "$c -v 0 $o/dyn-put"
  compare "$c GET with -N (NON has no meaning on TCP)" "$c -N $r/example_data" "$c -N $o/example_data"
}

p=$PORT
for af in ipv4 ipv6 unix; do
  case $af in
    ipv4) bind_ref=(-A 127.0.0.1 -p $p); bind_ours=(-A 127.0.0.1 -p $((p + 1)))
          r=coap+tcp://127.0.0.1:$p; o=coap+tcp://127.0.0.1:$((p + 1)) ;;
    ipv6) bind_ref=(-A ::1 -p $p); bind_ours=(-A ::1 -p $((p + 1)))
          r="coap+tcp://[::1]:$p"; o="coap+tcp://[::1]:$((p + 1))" ;;
    unix) # libcoap keeps Unix-domain paths to 25 characters: short names.
          ref_sock=/tmp/tr$PORT.sock ours_sock=/tmp/to$PORT.sock
          rm -f "$ref_sock" "$ours_sock"
          bind_ref=(-A "$ref_sock" -U coap+tcp); bind_ours=(-A "$ours_sock" -U coap+tcp)
          r="coap+tcp://$(printf '%s' "$ref_sock" | sed 's|/|%2F|g')"
          o="coap+tcp://$(printf '%s' "$ours_sock" | sed 's|/|%2F|g')" ;;
  esac
  start_bg ref_$af "$S_REF" "${bind_ref[@]}" -d 20
  start_bg ours_$af "$S_OURS" "${bind_ours[@]}" -d 20
  if [ $af = unix ]; then
    wait_path "$ref_sock"; wait_path "$ours_sock"
  else
    wait_tcp $p; wait_tcp $((p + 1))
  fi
  echo "== $af"
  requests "$C_REF" "$r" "$o"
  requests "$C_OURS" "$r" "$o"
  if [ $af != unix ]; then  # 4.3.1 has no Unix-domain sockets
    requests "debian_on_debian $DEBIAN_BIN/coap-client-notls" "$r" "$o"
    requests "debian_on_ours $DEBIAN_BIN/coap-client-notls" "$r" "$o"
  fi
  p=$((p + 2))
done
rm -f "/tmp/tr$PORT.sock" "/tmp/to$PORT.sock"

# Bookworm's coap-server-notls (4.3.1) as the server, on Debian's library
# and on ours.
start_bg deb debian_on_debian "$DEBIAN_BIN/coap-server-notls" -A 127.0.0.1 -p $p
start_bg deb_ours debian_on_ours "$DEBIAN_BIN/coap-server-notls" -A 127.0.0.1 -p $((p + 1))
wait_tcp $p; wait_tcp $((p + 1))
echo "== bookworm coap-server-notls"
# (DELETE is left out: bookworm's server answers it differently on our
# library over UDP as well, which is not a TCP matter.)
for c in "$C_REF" "$C_OURS" "debian_on_debian $DEBIAN_BIN/coap-client-notls"; do
  r=coap+tcp://127.0.0.1:$p o=coap+tcp://127.0.0.1:$((p + 1))
  compare "$c GET /" "$c $r/" "$c $o/"
  compare "$c discovery" "$c $r/.well-known/core" "$c $o/.well-known/core"
  compare "$c PUT dynamic" "$c -m put -e 42 $r/d" "$c -m put -e 42 $o/d"
  compare "$c GET dynamic" "$c $r/d" "$c $o/d"
  compare "$c 4.04" "$c -v 0 $r/nope" "$c -v 0 $o/nope"
done
