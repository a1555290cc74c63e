# CoAP over WebSockets (coap+ws, RFC 8323 section 4): requests of every
# method, discovery and error codes over IPv4 and IPv6. libcoap 4.3.5's
# coap-server listens for WebSockets (-w) once on Debian's libcoap and
# once on ours; libcoap 4.3.5's coap-client on both libraries must see the
# same answers from both servers (so our client talks to libcoap's server
# and libcoap's client to ours). Then our client against our server for
# what libcoap's own WebSocket code drops (programs/ws_lib.sh).
. "$INTEROP_DIR/lib.sh"
. "$INTEROP_DIR/programs/tcp_lib.sh"
. "$INTEROP_DIR/programs/ws_lib.sh"
ws_peers

requests() {
  local c="$1 -B 2" r=$2 o=$3
  compare "$c GET /" "$c $r/" "$c $o/"
  compare "$c discovery" "$c $r/.well-known/core" "$c $o/.well-known/core"
  compare "$c discovery filtered" "$c '$r/.well-known/core?rt=ticks'" "$c '$o/.well-known/core?rt=ticks'"
  compare "$c 4.04" "$c -v 0 $r/missing" "$c -v 0 $o/missing"
  compare "$c PATCH is 4.05" "$c -v 0 -m patch -e x $r/example_data" "$c -v 0 -m patch -e x $o/example_data"
  compare "$c PUT example_data" "$c -m put -e ws-put $r/example_data" "$c -m put -e ws-put $o/example_data"
  compare "$c GET example_data" "$c $r/example_data" "$c $o/example_data"
  compare "$c FETCH example_data" "$c -m fetch $r/example_data" "$c -m fetch $o/example_data"
  compare "$c POST dynamic" "$c -m post -e v-post $r/dyn-post" "$c -m post -e v-post $o/dyn-post"
  compare "$c GET dynamic" "$c $r/dyn-post" "$c $o/dyn-post"
  compare "$c DELETE dynamic" "$c -m delete $r/dyn-post" "$c -m delete $o/dyn-post"
  compare "$c GET deleted" "$c -v 0 $r/dyn-post" "$c -v 0 $o/dyn-post"
  compare "$c long path and query" "$c -v 0 '$r/a/b/c/d?x=1&y=2'" "$c -v 0 '$o/a/b/c/d?x=1&y=2'"
}

p=$PORT
for af in ipv4 ipv6; do
  case $af in
    ipv4) addr=127.0.0.1; r=coap+ws://127.0.0.1:$((p + 1)); o=coap+ws://127.0.0.1:$((p + 3)) ;;
    ipv6) addr=::1; r="coap+ws://[::1]:$((p + 1))"; o="coap+ws://[::1]:$((p + 3))" ;;
  esac
  start_bg ref_$af "$S_REF" -A $addr -p $p -w $((p + 1)) -d 20
  start_bg ours_$af "$S_OURS" -A $addr -p $((p + 2)) -w $((p + 3)) -d 20
  wait_tcp $((p + 1)); wait_tcp $((p + 3))
  echo "== $af"
  requests "$C_REF" "$r" "$o"
  requests "$C_OURS" "$r" "$o"
  p=$((p + 4))
done

# Our client on our server gets what libcoap drops: the 2.04 of a PUT.
out=$("$C_OURS" -B 5 -v 7 -m put -e x "coap+ws://127.0.0.1:$((PORT + 3))/example_data" 2>&1) ||
  fail "our client -> our server: PUT failed"
printf '%s\n' "$out" | grep -aq 'v:WebSocket c:2.04' || fail "our client saw no 2.04"
ok "our client -> our server: PUT answered with 2.04"
out=$("$C_OURS" -B 5 -v 7 -m put -e y "coap+ws://127.0.0.1:$((PORT + 1))/example_data" 2>&1) ||
  fail "our client -> coap-server 4.3.5: PUT failed"
printf '%s\n' "$out" | grep -aq 'v:WebSocket c:2.04' || fail "our client saw no 2.04"
ok "our client -> coap-server 4.3.5: PUT answered with 2.04"
