# Helpers for the block_*.sh cases (sourced after lib.sh): builds the
# block-wise test programs (tests/interop/programs) against our library.
build_block_programs() {
  local inc=$INTEROP_DIR/../../include geninc=$OUR_LIBDIR/../include p
  for p in block_server block_client; do
    $OUR_CC "${OUR_CFLAGS[@]}" -std=c99 -D_GNU_SOURCE -O1 -Wall -Wextra -Werror -I"$inc" -I"$geninc" \
        "$INTEROP_DIR/programs/$p.c" -L"$OUR_LIBDIR" -lcoap-3-notls -Wl,-rpath,"$OUR_LIBDIR" \
        -o "$WORK/$p" || fail "cannot build $p"
  done
}

# same_bytes LABEL EXPECTED_FILE ACTUAL_FILE: compares payload bytes.
same_bytes() {
  [ -f "$3" ] || fail "$1: no output file"
  cmp -s "$2" "$3" || fail "$1: body differs ($(stat -c %s "$3") of $(stat -c %s "$2") bytes; $(cmp "$2" "$3" 2>&1 | head -1))"
  ok "$1: $(stat -c %s "$3") bytes identical"
}
