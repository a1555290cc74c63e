#!/usr/bin/env bash
# Builds the programs the interop tests run, from Debian's packages:
#   coap-{client,server}-435       libcoap 4.3.5's examples on Debian's 4.3.5 static library
#   coap-{client,server}-435-ours  the same sources, unchanged, on our library
#   coap-{client,server}-431-ours  bookworm's 4.3.1 example sources on our library
#   coap-{client,server}-435-openssl       the 4.3.5 examples on Debian's 4.3.5 OpenSSL
#                                          static library (DTLS/TLS peers)
#   coap-{client,server}-435-openssl-ours  the same sources, unchanged, on our
#                                          libcoap-3-openssl
# The "-ours" builds use the warning flags of the examples' own Makefile and
# must compile without any edit or extra define.
# Usage: build_peers.sh reference|ours REF_CACHE OUR_INCLUDE OUR_GENERATED_INCLUDE OUR_LIBDIR OUT_DIR
set -eu
mode=$1 cache=$2 inc=$3 geninc=$4 libdir=$5 out=$6
here=$(cd "$(dirname "$0")" && pwd)
sid=$cache/sid/root/usr
bookworm=$cache/bookworm/root/usr
mkdir -p "$out"
flags=(-std=c99 -D_GNU_SOURCE -pedantic -Wall -Wcast-qual -Wextra -Wformat-security -Winline
       -Wmissing-declarations -Wmissing-prototypes -Wnested-externs -Wpointer-arith -Wshadow
       -Wstrict-prototypes -Wswitch-default -Wswitch-enum -Wunused -Wwrite-strings)
# Sanitizer builds: our programs must carry the same runtime as our library.
ours_cc=gcc
ours_flags=()
if [ -n "${COAP_SANITIZE_RUNTIME:-}" ]; then
  ours_cc=${CC:-clang}
  ours_flags=(-fsanitize=address,undefined -fno-sanitize=function -fno-omit-frame-pointer)
fi
status=0
for prog in coap-client coap-server; do
  src435=$sid/share/doc/libcoap3-dev/examples/$prog.c
  src431=$bookworm/share/doc/libcoap3-dev/examples/$prog.c
  if [ "$mode" = reference ]; then
    # Reference peer: 4.3.5 on Debian's own static library.
    gcc -O1 "${flags[@]}" -w -I"$sid/include" "$src435" "$here/../diff/glibc_compat.c" \
        "$sid/lib/x86_64-linux-gnu/libcoap-3-notls.a" -o "$out/$prog-435"
    echo "built $prog-435"
    # The (D)TLS peer: Debian's OpenSSL flavour with the system's OpenSSL.
    gcc -O1 "${flags[@]}" -w -I"$sid/include" "$src435" "$here/../diff/glibc_compat.c" \
        "$sid/lib/x86_64-linux-gnu/libcoap-3-openssl.a" -lssl -lcrypto -o "$out/$prog-435-openssl"
    echo "built $prog-435-openssl"
    continue
  fi
  # The same sources against our headers and library. They must compile
  # with exactly the warnings they get with libcoap 4.3.5's own headers
  # (none for the 4.3.5 sources; the 4.3.1 sources have switches that miss
  # events added since).
  for ver in 435 431; do
    src=$src435
    [ $ver = 431 ] && src=$src431
    ref_warnings=$($ours_cc "${flags[@]}" -I"$sid/include" -fsyntax-only "$src" 2>&1 | grep -c "warning:" || true)
    if $ours_cc -O1 "${flags[@]}" "${ours_flags[@]}" -I"$inc" -I"$geninc" "$src" -L"$libdir" \
         -lcoap-3-notls -Wl,-rpath,"$libdir" -o "$out/$prog-$ver-ours" 2> "$out/$prog-$ver-ours.log"; then
      warnings=$(grep -c 'warning:' "$out/$prog-$ver-ours.log" || true)
      if [ "$warnings" != "$ref_warnings" ]; then
        echo "FAILED: $prog-$ver-ours: $warnings warnings, $ref_warnings with libcoap 4.3.5's headers"
        grep 'warning:' "$out/$prog-$ver-ours.log" | head; status=1
      else
        echo "built $prog-$ver-ours ($warnings warnings, the same as with libcoap 4.3.5's headers)"
      fi
    else
      echo "FAILED to build $prog-$ver-ours:"; tail -20 "$out/$prog-$ver-ours.log"; status=1
    fi
  done
  # The 4.3.5 sources on our OpenSSL library, for the (D)TLS cases.
  if [ "$mode" = ours ] && [ -e "$libdir/libcoap-3-openssl.so" ]; then
    ref_warnings=$($ours_cc "${flags[@]}" -I"$sid/include" -fsyntax-only "$src435" 2>&1 | grep -c 'warning:' || true)
    if $ours_cc -O1 "${flags[@]}" "${ours_flags[@]}" -I"$inc" -I"$geninc" "$src435" -L"$libdir" \
         -lcoap-3-openssl -Wl,-rpath,"$libdir" -o "$out/$prog-435-openssl-ours" \
         2> "$out/$prog-435-openssl-ours.log"; then
      warnings=$(grep -c 'warning:' "$out/$prog-435-openssl-ours.log" || true)
      if [ "$warnings" != "$ref_warnings" ]; then
        echo "FAILED: $prog-435-openssl-ours: $warnings warnings, $ref_warnings with libcoap 4.3.5's headers"
        status=1
      else
        echo "built $prog-435-openssl-ours ($warnings warnings)"
      fi
    else
      echo "FAILED to build $prog-435-openssl-ours:"; tail -20 "$out/$prog-435-openssl-ours.log"; status=1
    fi
  fi
done
exit $status
