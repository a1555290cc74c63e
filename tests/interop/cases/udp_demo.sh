# Our demo server and client with real libcoap peers: libcoap 4.3.5's
# coap-client, bookworm's coap-client-notls on Debian's library and on
# ours (binary drop-in); and our demo client against libcoap's coap-server.
. "$INTEROP_DIR/lib.sh"

start_bg ours "$OUR_BINDIR/demo-server" -p "$PORT"
wait_udp "$PORT"
uri=coap://127.0.0.1:$PORT

for client in "$PEERS_DIR/coap-client-435" "debian_on_debian $DEBIAN_BIN/coap-client-notls" \
              "debian_on_ours $DEBIAN_BIN/coap-client-notls"; do
  expect_eq "$client GET /" "Hello from demo-server" "$($client "$uri/" | tr -d '\n')"
  $client -m put -e "payload-$PORT" "$uri/store" > /dev/null || fail "$client PUT"
  expect_eq "$client GET /store" "payload-$PORT" "$($client "$uri/store")"
  $client -m delete "$uri/store" > /dev/null || fail "$client DELETE"
  expect_eq "$client GET /store after DELETE" "" "$($client "$uri/store")"
  expect_eq "$client NON GET /" "Hello from demo-server" "$($client -N "$uri/" | tr -d '\n')"
  wk=$($client "$uri/.well-known/core")
  expect_eq "$client discovery" '</>;title="Greeting",</time>;title="Clock",</store>;title="Storage"' "$wk"
done

start_bg ref "$PEERS_DIR/coap-server-435" -A 127.0.0.1 -p $((PORT + 1))
wait_udp $((PORT + 1))
out=$("$OUR_BINDIR/demo-client" "coap://127.0.0.1:$((PORT + 1))/.well-known/core")
case "$out" in
  "2.05 </>;title=\"General Info\";ct=0,</time>"*) ok "demo-client discovers libcoap's coap-server" ;;
  *) fail "demo-client discovery: $out" ;;
esac
out=$("$OUR_BINDIR/demo-client" -N "coap://127.0.0.1:$((PORT + 1))/nothere") && fail "expected 4.04"
expect_eq "demo-client NON 4.04" "4.04 Not Found" "$out"
