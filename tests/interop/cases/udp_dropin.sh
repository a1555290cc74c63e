# Binary drop-in: Debian bookworm's prebuilt coap-client-notls,
# coap-server-notls and coap-rd-notls (built for libcoap 4.3.1) run
# unchanged with LD_LIBRARY_PATH pointing at our libcoap-3-notls.so.3 and
# behave as on Debian's own library.
. "$INTEROP_DIR/lib.sh"

ldd_out=$(debian_on_ours ldd "$DEBIAN_BIN/coap-server-notls" | grep libcoap)
case "$ldd_out" in
  *"$OUR_LIBDIR"*) ok "coap-server-notls resolves libcoap to ours: $ldd_out" ;;
  *) fail "coap-server-notls does not load our library: $ldd_out" ;;
esac

start_bg deb "debian_on_debian" "$DEBIAN_BIN/coap-server-notls" -A 127.0.0.1 -p $PORT -d 10
start_bg ours "debian_on_ours" "$DEBIAN_BIN/coap-server-notls" -A 127.0.0.1 -p $((PORT + 1)) -d 10
start_bg rd_deb "debian_on_debian" "$DEBIAN_BIN/coap-rd-notls" -A 127.0.0.1 -p $((PORT + 2))
start_bg rd_ours "debian_on_ours" "$DEBIAN_BIN/coap-rd-notls" -A 127.0.0.1 -p $((PORT + 3))
for p in $PORT $((PORT + 1)) $((PORT + 2)) $((PORT + 3)); do wait_udp $p; done
r=coap://127.0.0.1:$PORT o=coap://127.0.0.1:$((PORT + 1))
for c in "$PEERS_DIR/coap-client-435" "debian_on_debian $DEBIAN_BIN/coap-client-notls" \
         "debian_on_ours $DEBIAN_BIN/coap-client-notls"; do
  compare "$c GET /" "$c $r/" "$c $o/"
  compare "$c discovery" "$c $r/.well-known/core" "$c $o/.well-known/core"
  compare "$c PUT dynamic" "$c -m put -e 42 $r/d" "$c -m put -e 42 $o/d"
  compare "$c GET dynamic" "$c $r/d" "$c $o/d"
  compare "$c NON 4.04" "$c -N -v 0 $r/nope" "$c -N -v 0 $o/nope"
done
# Resource directory (RFC 9176): register an endpoint, then look it up.
rr=coap://127.0.0.1:$((PORT + 2)) ro=coap://127.0.0.1:$((PORT + 3))
c="debian_on_debian $DEBIAN_BIN/coap-client-notls"
compare "rd discovery" "$c $rr/.well-known/core" "$c $ro/.well-known/core"
compare "rd register" "$c -m post -e '</sensors/temp>;ct=41' '$rr/rd?ep=node1'" \
                      "$c -m post -e '</sensors/temp>;ct=41' '$ro/rd?ep=node1'"
