# Helpers for the dtls_*.sh and tls_*.sh cases (sourced after lib.sh):
# the (D)TLS-capable peers and how to start and check them.
#
# Servers and clients: libcoap 4.3.5's examples on Debian's OpenSSL
# library and, unchanged, on ours; bookworm's 4.3.1 coap-*-openssl on
# Debian's library and on ours. A coap-server started with -p P serves
# coap on P and coaps / coaps+tcp on P + 1.
. "$INTEROP_DIR/programs/pki_lib.sh"
. "$INTEROP_DIR/programs/tcp_lib.sh"
. "$INTEROP_DIR/programs/block_lib.sh"  # same_bytes

[ -x "$PEERS_DIR/coap-server-435-openssl" ] || fail "no coap-server-435-openssl (build_peers.sh)"
[ -x "$PEERS_DIR/coap-server-435-openssl-ours" ] ||
  fail "libcoap's examples did not build against our libcoap-3-openssl"
[ -e "$OUR_LIBDIR/libcoap-3-openssl.so.3" ] || fail "no libcoap-3-openssl.so.3 in $OUR_LIBDIR"

SECURE_SERVERS=("$PEERS_DIR/coap-server-435-openssl" "$PEERS_DIR/coap-server-435-openssl-ours"
                "debian_on_debian $DEBIAN_BIN/coap-server-openssl"
                "debian_on_ours $DEBIAN_BIN/coap-server-openssl")
SECURE_SERVER_NAMES=("coap-server 4.3.5" "coap-server 4.3.5 on ours" "bookworm coap-server"
                     "bookworm coap-server on ours")
SECURE_CLIENTS=("$PEERS_DIR/coap-client-435-openssl" "$PEERS_DIR/coap-client-435-openssl-ours"
                "debian_on_debian $DEBIAN_BIN/coap-client-openssl"
                "debian_on_ours $DEBIAN_BIN/coap-client-openssl")
SECURE_CLIENT_NAMES=("coap-client 4.3.5" "coap-client 4.3.5 on ours" "bookworm coap-client"
                     "bookworm coap-client on ours")

PKI=$WORK/pki
make_pki "$PKI" || fail "cannot make the test certificates"
PSK_SERVER=(-k secret -h interop-hint)
PSK_CLIENT=(-k secret -u interop-id)
PKI_SERVER=(-c "$PKI/server.pem" -j "$PKI/server.key" -C "$PKI/ca.pem")
PKI_CLIENT=(-c "$PKI/client.pem" -j "$PKI/client.key" -C "$PKI/ca.pem")

# start_secure_servers BASE_PORT ARGS...: every server of SECURE_SERVERS
# on BASE_PORT + 2 * index (secure port one above), with ARGS.
start_secure_servers() {
  local base=$1 i; shift
  for i in 0 1 2 3; do
    start_bg "srv$i" ${SECURE_SERVERS[$i]} -A 127.0.0.1 -p $((base + 2 * i)) "$@"
  done
  for i in 0 1 2 3; do
    wait_udp $((base + 2 * i + 1))
    wait_tcp $((base + 2 * i + 1))
  done
}

# expect_text LABEL EXPECTED_PREFIX CMD...: the command succeeds and its
# output starts with EXPECTED_PREFIX.
expect_text() {
  local label=$1 want=$2 out; shift 2
  out=$(timeout 60 "$@" 2>&1) || fail "$label: exit $? ($(printf '%s' "$out" | tail -3))"
  case "$out" in "$want"*) ok "$label" ;;
    *) fail "$label: got '$(printf '%s' "$out" | head -3)'" ;; esac
}

# expect_refused LABEL CMD...: the command gets no answer (coap-client
# does not always exit non-zero: its output must lack the server's text).
expect_refused() {
  local label=$1 out start=$SECONDS; shift
  out=$(timeout 30 "$@" 2>&1)
  case "$out" in *"This is a test server"*)
    fail "$label: succeeded: '$(printf '%s' "$out" | head -2)'" ;; esac
  ok "$label: refused after $((SECONDS - start)) s ($(printf '%s' "$out" | grep -a -m1 -E 'WARN|ERR|alert' | cut -c1-110))"
}

# secure_matrix SCHEME: every client against every server over SCHEME
# (coaps or coaps+tcp), with PSK and with PKI (client certificates): GET,
# PUT then GET, Observe of /time, and 1 MiB block-wise both ways.
secure_matrix() {
  local scheme=$1 si ci mode port c label uri out notes
  local -a creds
  head -c 1048576 /dev/urandom > "$WORK/big.bin"
  start_secure_servers $PORT "${PSK_SERVER[@]}" "${PKI_SERVER[@]}"
  for si in 0 1 2 3; do
    port=$((PORT + 2 * si + 1))
    uri=$scheme://127.0.0.1:$port
    for ci in 0 1 2 3; do
      c=${SECURE_CLIENTS[$ci]}
      for mode in psk pki; do
        if [ $mode = psk ]; then creds=("${PSK_CLIENT[@]}"); else creds=("${PKI_CLIENT[@]}"); fi
        label="$scheme $mode: ${SECURE_CLIENT_NAMES[$ci]} -> ${SECURE_SERVER_NAMES[$si]}"
        expect_text "$label: GET /" "This is a test server made with libcoap" $c "${creds[@]}" "$uri/"
        timeout 30 $c "${creds[@]}" -m put -e "v$ci$mode" "$uri/example_data" > /dev/null 2>&1 ||
          fail "$label: PUT failed"
        expect_text "$label: GET after PUT" "v$ci$mode" $c "${creds[@]}" "$uri/example_data"
      done
      label="$scheme: ${SECURE_CLIENT_NAMES[$ci]} -> ${SECURE_SERVER_NAMES[$si]}"
      out=$(timeout 30 $c "${PSK_CLIENT[@]}" -v 7 -s 3 "$uri/time" 2>&1) || fail "$label: observe failed"
      notes=$(printf '%s\n' "$out" | grep -a 'c:2.05' | grep -ac 'Observe:[0-9]')
      [ "$notes" -ge 3 ] || fail "$label: only $notes notifications in 3 s"
      ok "$label: observe /time: $notes notifications"
      # 1 MiB both ways, block-wise (-b 1024).
      case $ci in 0|1|3)
        timeout 120 $c "${PSK_CLIENT[@]}" -b 1024 -m put -f "$WORK/big.bin" "$uri/example_data" \
          > /dev/null 2>&1 || fail "$label: 1 MiB PUT failed"
        rm -f "$WORK/out.bin"
        timeout 120 $c "${PSK_CLIENT[@]}" -b 1024 -o "$WORK/out.bin" "$uri/example_data" \
          > /dev/null 2>&1 || fail "$label: 1 MiB GET failed"
        same_bytes "$label: 1 MiB PUT then GET, -b 1024" "$WORK/big.bin" "$WORK/out.bin" ;;
      esac
    done
  done
}
