# Cache keys of the OpenSSL flavour: libcoap digests them with SHA-256 when
# it is built with a (D)TLS library (the builds without one fold its 4-byte
# hash instead, which tests/diff/diff_cache.c compares). The differential
# driver is built against Debian's libcoap-3-openssl (4.3.5) and our
# libcoap-3-openssl, and both must print the same, key bytes included.
. "$INTEROP_DIR/lib.sh"

ours=$OUR_LIBDIR/libcoap-3-openssl.a
[ -f "$ours" ] || { echo "skipped: no libcoap-3-openssl.a in $OUR_LIBDIR (COAP_BUILD_OPENSSL off)"; exit 0; }
sid=$REF_CACHE/sid/root/usr
driver=$INTEROP_DIR/../diff/diff_cache.c
flags=(-std=gnu11 -D_GNU_SOURCE -Wno-deprecated-declarations)
gcc "${flags[@]}" -I"$sid/include" "$driver" "$INTEROP_DIR/../diff/glibc_compat.c" \
    "$sid/lib/x86_64-linux-gnu/libcoap-3-openssl.a" -lssl -lcrypto -lm -o "$WORK/ref" ||
  fail "driver does not build against Debian's libcoap-3-openssl"
# Our side with the compiler and sanitizer runtime of the build (lib.sh).
$OUR_CC "${flags[@]}" "${OUR_CFLAGS[@]}" -I"$INTEROP_DIR/../../include" -I"$OUR_LIBDIR/../include" \
    "$driver" "$ours" -lssl -lcrypto -lstdc++ -lm -lpthread -o "$WORK/ours" ||
  fail "driver does not build against our libcoap-3-openssl"
"$WORK/ref" > "$WORK/ref.out" 2>&1
"$WORK/ours" > "$WORK/ours.out" 2>&1
if ! diff -u "$WORK/ref.out" "$WORK/ours.out" > "$WORK/diff"; then
  head -40 "$WORK/diff"
  fail "OpenSSL flavour differs from libcoap 4.3.5"
fi
ok "OpenSSL flavour identical to libcoap 4.3.5 ($(wc -l < "$WORK/ours.out") lines)"
expect_eq "SHA-256 key of Uri-Path 'a' (number 11 in host order, then the value)" \
  "a[32]: 60 38 43 c6 bb 57 77 de 78 b5 ee fb a9 e6 d4 e0 ac c2 9c fd 7f 24 41 b9 c3 02 6b 6d ea ea 21 c2" \
  "$(grep -m1 '^a\[32\]' "$WORK/ours.out")"
