#!/usr/bin/env bash
# Installs the build into a temporary prefix and builds a small C program
# against it three ways: pkg-config with the shared library, pkg-config
# --static with the static library linked by plain gcc, and CMake's
# find_package(libcoap). Each program must run and print the expected line.
# Usage: check_install.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" > "$work/install.log"
libdir=$(find "$prefix" -name 'libcoap-3.so' -printf '%h\n' | head -1)
export PKG_CONFIG_PATH=$libdir/pkgconfig
consumer=$src/tests/install/consumer/consumer.c
expect="libcoap libcoap 4.3.5: Uri-Path=hello"
fail=0

run() {  # run LABEL BINARY
  local out
  if ! out=$(LD_LIBRARY_PATH=$libdir "$2" 2>&1); then
    echo "FAIL ($1): program failed: $out"; fail=1; return
  fi
  if [ "$out" != "$expect" ]; then
    echo "FAIL ($1): printed '$out'"; fail=1; return
  fi
  echo "ok ($1): $out"
}

for f in coap.h coap_defines.h coap_pdu.h; do
  [ -f "$prefix/include/coap3/$f" ] || { echo "FAIL: include/coap3/$f not installed"; fail=1; }
done

for pc in libcoap-3 libcoap-3-notls libcoap-3-openssl; do
  name=${pc#lib}
  # 1. pkg-config, shared library.
  gcc -std=c99 -Wall -Wextra -Werror "$consumer" -o "$work/shared-$name" \
      $(pkg-config --cflags --libs "$pc")
  if ! readelf -d "$work/shared-$name" | grep -q "lib$name.so.3"; then
    echo "FAIL ($pc shared): not linked against lib$name.so.3"; fail=1
  fi
  run "$pc shared" "$work/shared-$name"

  # 2. pkg-config --static, static archive, plain gcc (no C++ driver).
  libs=$(pkg-config --static --libs "$pc" | sed "s/-l$name\b/-Wl,-Bstatic -l$name -Wl,-Bdynamic/")
  gcc -std=c99 -Wall -Wextra -Werror "$consumer" -o "$work/static-$name" \
      $(pkg-config --cflags "$pc") $libs
  if readelf -d "$work/static-$name" | grep -q 'libcoap'; then
    echo "FAIL ($pc static): still needs a shared libcoap"; fail=1
  fi
  run "$pc static" "$work/static-$name"

  # 3. CMake package.
  bdir=$work/cmake-$name
  if cmake -S "$src/tests/install/consumer" -B "$bdir" -DCMAKE_PREFIX_PATH="$prefix" \
       -DCOAP_TARGET="$name" > "$work/cmake-$name.log" 2>&1 &&
     cmake --build "$bdir" >> "$work/cmake-$name.log" 2>&1; then
    run "$pc find_package" "$bdir/consumer"
  else
    echo "FAIL ($pc find_package):"; tail -20 "$work/cmake-$name.log"; fail=1
  fi
done
exit $fail
