#!/usr/bin/env bash
# The public headers compile cleanly as C99/C11 and C++11..20 with strict
# warnings, through coap.h and each header on its own.
# Usage: compile_headers.sh CC CXX INCLUDE_DIR GENERATED_INCLUDE_DIR
set -u
cc=$1 cxx=$2 inc=$3 gen=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
flags=(-Wall -Wextra -pedantic -Werror -I"$inc" -I"$gen" -fsyntax-only)

check() {  # check LANG STD SOURCE-TEXT LABEL
  local lang=$1 std=$2 text=$3 label=$4 compiler=$cc
  [ "$lang" = c++ ] && compiler=$cxx
  printf '%s\n' "$text" > "$tmp/t.src"
  for extra in "" "-D_GNU_SOURCE"; do
    if ! "$compiler" -x "$lang" -std="$std" $extra "${flags[@]}" "$tmp/t.src" 2> "$tmp/err"; then
      echo "FAIL: $label as $std $extra"
      head -20 "$tmp/err"
      fail=1
    fi
  done
}

for std in c99 c11; do
  check c "$std" '#include <coap3/coap.h>' coap.h
  check c "$std" '#include <coap3/coap_defines.h>
#include <coap3/coap.h>' "coap_defines.h + coap.h"
done
for std in c++11 c++14 c++17 c++20; do
  check c++ "$std" '#include <coap3/coap.h>' coap.h
done
# Every header alone, in C99 and C++11.
for h in "$inc"/coap3/*.h; do
  name=$(basename "$h")
  check c c99 "#include <coap3/$name>" "$name alone"
  check c++ c++11 "#include <coap3/$name>" "$name alone"
done
[ $fail = 0 ] && echo "all header compile checks passed"
exit $fail
