# Bookworm's coap-rd-openssl (4.3.1 resource directory) over coaps://, on
# Debian's library and on our libcoap-3-openssl: libcoap 4.3.5's
# coap-client (on Debian's library and on ours) registers an endpoint with
# a pre-shared key and with a client certificate, and finds the
# registration in the directory's /.well-known/core.
. "$INTEROP_DIR/lib.sh"
. "$INTEROP_DIR/programs/secure_lib.sh"

cat "$PKI/server.pem" "$PKI/server.key" > "$WORK/rd-cert.pem"  # coap-rd wants both in one file
p=$PORT
start_bg rd_debian debian_on_debian "$DEBIAN_BIN/coap-rd-openssl" -A 127.0.0.1 -p $p -k secret \
  -c "$WORK/rd-cert.pem" -C "$PKI/ca.pem"
start_bg rd_ours debian_on_ours "$DEBIAN_BIN/coap-rd-openssl" -A 127.0.0.1 -p $((p + 2)) -k secret \
  -c "$WORK/rd-cert.pem" -C "$PKI/ca.pem"
wait_udp $((p + 1)); wait_udp $((p + 3))
names=("coap-rd on Debian's library" "coap-rd on ours")
for ri in 0 1; do
  uri=coaps://127.0.0.1:$((p + 2 * ri + 1))
  for ci in 0 1; do
    c=${SECURE_CLIENTS[$ci]}
    for mode in psk pki; do
      if [ $mode = psk ]; then creds=("${PSK_CLIENT[@]}"); else creds=("${PKI_CLIENT[@]}"); fi
      label="$mode: ${SECURE_CLIENT_NAMES[$ci]} -> ${names[$ri]}"
      before=$(timeout 20 $c "${creds[@]}" "$uri/.well-known/core" 2>&1) || fail "$label: lookup failed"
      case "$before" in '</rd>;'*) ;; *) fail "$label: unexpected directory: $before" ;; esac
      timeout 20 $c "${creds[@]}" -m post -e '</sensor>;rt=temperature' \
        "$uri/rd?ep=node$ci$mode&lt=60" > /dev/null 2>&1 || fail "$label: registration failed"
      after=$(timeout 20 $c "${creds[@]}" "$uri/.well-known/core" 2>&1) || fail "$label: lookup failed"
      n_before=$(printf '%s' "$before" | grep -o '</rd/' | wc -l)
      n_after=$(printf '%s' "$after" | grep -o '</rd/' | wc -l)
      [ "$n_after" -eq $((n_before + 1)) ] || fail "$label: registrations $n_before -> $n_after: $after"
      ok "$label: registered ($n_after registrations listed)"
    done
  done
done
