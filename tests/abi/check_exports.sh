#!/usr/bin/env bash
# A shipped shared library exports only libcoap 4.3.5's C API: every
# defined dynamic symbol is one of the functions named in the version
# script, carries the version VER_3, and none is a C++ or internal symbol.
# Also checks the soname.
# Usage: check_exports.sh LIBRARY.so EXPECTED_SONAME VERSION_SCRIPT
set -u
lib=$1 soname=$2 map=$3
fail=0
allowed=$(sed -n 's/^  \([A-Za-z_][A-Za-z0-9_]*\);$/\1/p' "$map" | sort)
[ "$(printf '%s\n' "$allowed" | wc -l)" = 319 ] || { echo "FAIL: version script does not list 319 functions"; fail=1; }

actual_soname=$(objdump -p "$lib" | awk '$1=="SONAME" {print $2}')
if [ "$actual_soname" != "$soname" ]; then
  echo "FAIL: soname is '$actual_soname', expected '$soname'"; fail=1
fi

# Defined dynamic symbols, as name@@version (the VER_3 node itself is an
# absolute symbol and allowed).
syms=$(nm -D --defined-only "$lib" | awk '$2 != "A" {print $3}')
count=0
while read -r sym; do
  [ -n "$sym" ] || continue
  name=${sym%%@*}
  version=${sym#*@@}
  case "$name" in
    _Z*) echo "FAIL: C++ symbol exported: $sym"; fail=1; continue ;;
  esac
  if ! grep -qx "$name" <<< "$allowed"; then
    echo "FAIL: not part of the libcoap API: $sym"; fail=1; continue
  fi
  if [ "$version" != VER_3 ]; then
    echo "FAIL: $name has version '$version', not VER_3"; fail=1; continue
  fi
  count=$((count + 1))
done <<< "$syms"
if ! nm -D --defined-only "$lib" | grep -q ' A VER_3$'; then
  echo "FAIL: no VER_3 version node"; fail=1
fi
echo "$(basename "$lib"): soname $actual_soname, $count of 319 API functions exported with VER_3"
exit $fail
