#!/usr/bin/env bash
# Differential test: one C driver, compiled unchanged against libcoap 4.3.5
# (Debian sid's static library), libcoap 4.3.1 (Debian bookworm's shared
# library) and ours. Our output must equal 4.3.5's byte for byte. 4.3.1 is
# compared too; where it differs, the differences must be exactly the ones
# listed in the driver's .431-differences file (4.3.5 wins).
# Usage: run_diff.sh DRIVER.c OUR_BINARY REF_CACHE WORK_DIR
set -u
src=$1 ours=$2 cache=$3 work=$4
name=$(basename "$src" .c)
here=$(cd "$(dirname "$0")" && pwd)
sid=$cache/sid/root/usr
bookworm=$cache/bookworm/root/usr
mkdir -p "$work"
cflags=(-std=gnu11 -D_GNU_SOURCE -Wall -Wno-deprecated-declarations -g)

gcc "${cflags[@]}" -I"$sid/include" "$src" "$here/glibc_compat.c" \
    "$sid/lib/x86_64-linux-gnu/libcoap-3-notls.a" -o "$work/$name-435" -lm ||
  { echo "FAIL: driver does not build against libcoap 4.3.5"; exit 1; }
gcc "${cflags[@]}" -I"$bookworm/include" "$src" \
    -L"$bookworm/lib/x86_64-linux-gnu" -lcoap-3-notls -o "$work/$name-431" ||
  { echo "FAIL: driver does not build against libcoap 4.3.1"; exit 1; }

"$work/$name-435" > "$work/$name.435.out" 2>&1
LD_LIBRARY_PATH=$bookworm/lib/x86_64-linux-gnu "$work/$name-431" > "$work/$name.431.out" 2>&1
"$ours" > "$work/$name.ours.out" 2>&1

fail=0
if ! diff -u "$work/$name.435.out" "$work/$name.ours.out" > "$work/$name.diff"; then
  echo "FAIL: output differs from libcoap 4.3.5:"
  head -80 "$work/$name.diff"
  fail=1
else
  echo "ok: identical to libcoap 4.3.5 ($(wc -l < "$work/$name.ours.out") lines)"
fi
# Cases where 4.3.1 behaves differently: the case names (the "== name"
# header of each block) must match the list kept beside the driver.
expected_431="${src%.c}.431-differences"
actual=$(diff <(awk '/^== /{c=$2} {print c "\t" $0}' "$work/$name.435.out") \
              <(awk '/^== /{c=$2} {print c "\t" $0}' "$work/$name.431.out") |
         sed -n 's/^[<>] \([^\t]*\)\t.*/\1/p' | sort -u)
listed=$(grep -v '^#' "$expected_431" 2>/dev/null | awk 'NF{print $1}' | sort -u)
if [ "$actual" != "$listed" ]; then
  echo "FAIL: cases where 4.3.1 differs from 4.3.5 changed; now:"
  printf '  %s\n' $actual
  fail=1
else
  echo "ok: 4.3.1 differs from 4.3.5 only in the $(printf '%s\n' $listed | grep -c .) listed cases"
fi
exit $fail
