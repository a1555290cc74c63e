# Helpers for interop case scripts (sourced).

fail() { echo "FAIL: $*"; exit 1; }

# on_exit CMD: run CMD when the case ends (after its servers are stopped).
on_exit() { CLEANUP+=("$1"); }
ok() { echo "ok: $*"; }

# start_bg NAME CMD...: runs a server in the background, remembering its pid.
start_bg() {
  local name=$1; shift
  "$@" > "$WORK/$name.log" 2>&1 &
  eval "PID_$name=$!"
}

# wait_udp PORT: waits until something listens on the UDP port.
wait_udp() {
  for _ in $(seq 1 100); do
    if ss -Hlun "sport = :$1" 2>/dev/null | grep -q .; then return 0; fi
    sleep 0.05
  done
  fail "nothing listens on UDP port $1"
}

# expect_eq LABEL EXPECTED ACTUAL
expect_eq() {
  if [ "$2" != "$3" ]; then
    fail "$1: expected '$2', got '$3'"
  fi
  ok "$1: '$3'"
}

# How to compile a test program against our library: in sanitizer builds
# it must carry the same runtime as the library.
if [ -n "${COAP_SANITIZE_RUNTIME:-}" ]; then
  OUR_CC=${CC:-clang}
  OUR_CFLAGS=(-fsanitize=address,undefined -fno-sanitize=function -fno-omit-frame-pointer)
else
  OUR_CC=gcc
  OUR_CFLAGS=()
fi

# debian_on_debian / debian_on_ours (tests/interop/bin, on PATH) run a
# Debian bookworm binary on Debian's libcoap or on ours; being programs,
# they also work under timeout, env and start_bg.

# compare LABEL CMD_ON_REFERENCE CMD_ON_OURS: both commands must print the
# same thing and exit the same way (output normalised by $NORMALIZE, a sed
# script, when set).
compare() {
  local label=$1 a b ra rb
  a=$(eval "$2" 2>&1); ra=$?
  b=$(eval "$3" 2>&1); rb=$?
  if [ -n "${NORMALIZE:-}" ]; then
    a=$(printf '%s' "$a" | sed -e "$NORMALIZE"); b=$(printf '%s' "$b" | sed -e "$NORMALIZE")
  fi
  if [ "$a" != "$b" ] || [ $ra != $rb ]; then
    echo "--- libcoap (exit $ra):"; printf '%s\n' "$a" | head -20
    echo "--- ours (exit $rb):"; printf '%s\n' "$b" | head -20
    fail "$label"
  fi
  ok "$label ($(printf '%s' "$b" | wc -c) bytes, exit $rb)"
}
