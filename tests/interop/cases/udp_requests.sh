# Requests of every method, CON and NON, discovery, dynamic resources and
# error codes, over IPv4, IPv6 and Unix-domain sockets, in both directions:
# libcoap's own coap-server and coap-client (4.3.5 sources) run once on
# Debian's libcoap and once on ours, and every client sees the same
# answers from both; Debian's prebuilt 4.3.1 binaries are run on both
# libraries too.
. "$INTEROP_DIR/lib.sh"

S_REF="$PEERS_DIR/coap-server-435"
S_OURS="$PEERS_DIR/coap-server-435-ours"
C_REF="$PEERS_DIR/coap-client-435"
C_OURS="$PEERS_DIR/coap-client-435-ours"
[ -x "$S_OURS" ] && [ -x "$C_OURS" ] || fail "libcoap's examples did not build against our library"

# requests CLIENT URI_REF URI_OURS: the same requests against both servers.
requests() {
  local c=$1 r=$2 o=$3
  compare "$c GET /" "$c $r/" "$c $o/"
  compare "$c NON GET /" "$c -N $r/" "$c -N $o/"
  compare "$c discovery" "$c $r/.well-known/core" "$c $o/.well-known/core"
  compare "$c discovery filtered" "$c '$r/.well-known/core?rt=ticks'" "$c '$o/.well-known/core?rt=ticks'"
  compare "$c 4.04" "$c -v 0 $r/missing" "$c -v 0 $o/missing"
  compare "$c NON 4.04" "$c -N -v 0 $r/missing" "$c -N -v 0 $o/missing"
  compare "$c PATCH is 4.05" "$c -v 0 -m patch -e x $r/example_data" "$c -v 0 -m patch -e x $o/example_data"
  compare "$c iPATCH is 4.05" "$c -v 0 -m ipatch -e x $r/example_data" "$c -v 0 -m ipatch -e x $o/example_data"
  for m in put post; do
    compare "$c $m dynamic" "$c -m $m -e v-$m $r/dyn-$m" "$c -m $m -e v-$m $o/dyn-$m"
    compare "$c GET dynamic after $m" "$c $r/dyn-$m" "$c $o/dyn-$m"
    compare "$c FETCH dynamic after $m" "$c -m fetch $r/dyn-$m" "$c -m fetch $o/dyn-$m"
  done
  compare "$c NON PUT example_data" "$c -N -m put -e non-put $r/example_data" "$c -N -m put -e non-put $o/example_data"
  compare "$c GET example_data" "$c $r/example_data" "$c $o/example_data"
  compare "$c DELETE dynamic" "$c -m delete $r/dyn-put" "$c -m delete $o/dyn-put"
  compare "$c GET deleted" "$c -v 0 $r/dyn-put" "$c -v 0 $o/dyn-put"
}

# (family, server bind address, URI host) triples.
p=$PORT
for af in ipv4 ipv6 unix; do
  case $af in
    ipv4) bind_ref=(-A 127.0.0.1 -p $p); bind_ours=(-A 127.0.0.1 -p $((p + 1)))
          r=coap://127.0.0.1:$p; o=coap://127.0.0.1:$((p + 1)) ;;
    ipv6) bind_ref=(-A ::1 -p $p); bind_ours=(-A ::1 -p $((p + 1)))
          r="coap://[::1]:$p"; o="coap://[::1]:$((p + 1))" ;;
    unix) # libcoap keeps Unix-domain paths to 25 characters: short names.
          ref_sock=/tmp/cr$PORT.sock ours_sock=/tmp/co$PORT.sock
          rm -f "$ref_sock" "$ours_sock"
          bind_ref=(-A "$ref_sock" -U coap); bind_ours=(-A "$ours_sock" -U coap)
          r="coap://$(printf '%s' "$ref_sock" | sed 's|/|%2F|g')"
          o="coap://$(printf '%s' "$ours_sock" | sed 's|/|%2F|g')" ;;
  esac
  start_bg ref_$af "$S_REF" "${bind_ref[@]}" -d 20
  start_bg ours_$af "$S_OURS" "${bind_ours[@]}" -d 20
  if [ $af = unix ]; then sleep 0.5; else wait_udp $p; wait_udp $((p + 1)); fi
  echo "== $af"
  requests "$C_REF" "$r" "$o"
  requests "$C_OURS" "$r" "$o"
  if [ $af != unix ]; then  # 4.3.1 has no Unix-domain sockets
    requests "debian_on_debian $DEBIAN_BIN/coap-client-notls" "$r" "$o"
    requests "debian_on_ours $DEBIAN_BIN/coap-client-notls" "$r" "$o"
  fi
  p=$((p + 2))
done
rm -f "/tmp/cr$PORT.sock" "/tmp/co$PORT.sock"
