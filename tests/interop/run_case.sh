#!/usr/bin/env bash
# Runs one interop case script with the environment it expects:
#   OUR_LIBDIR  our built libraries (for LD_LIBRARY_PATH drop-in runs)
#   OUR_BINDIR  our example programs (demo-server, demo-client)
#   REF_CACHE   Debian's packages (scripts/fetch-reference.sh)
#   PEERS_DIR   programs built by build_peers.sh
#   DEBIAN_BIN / DEBIAN_LIB   bookworm's prebuilt binaries and their libcoap
#   PORT        first of 20 ports reserved for this case
#   WORK        a scratch directory, removed afterwards
# and the helpers in lib.sh.
# Usage: run_case.sh CASE.sh OUR_LIBDIR OUR_BINDIR REF_CACHE PEERS_DIR PORT
set -u
case_script=$1
export OUR_LIBDIR=$2 OUR_BINDIR=$3 REF_CACHE=$4 PEERS_DIR=$5 PORT=$6
export DEBIAN_BIN=$REF_CACHE/bookworm/root/usr/bin
export DEBIAN_LIB=$REF_CACHE/bookworm/root/usr/lib/x86_64-linux-gnu
export INTEROP_DIR=$(cd "$(dirname "$0")" && pwd)
export PATH=$INTEROP_DIR/bin:$PATH
export WORK=$(mktemp -d)
# Job control: every background job gets its own process group, so the
# whole group (wrapper shell and the program it started) can be stopped.
set -m
# The case runs in this shell, so its background servers are our jobs and
# are stopped on exit whatever happens.
# In sanitizer builds, servers stopped with SIGTERM exit normally and so
# run the leak check; any sanitizer report in their logs fails the case.
CLEANUP=()  # commands a case registers with on_exit (lib.sh)
finish() {
  local status=$? pid
  for pid in $(jobs -p); do kill -TERM -- -"$pid" 2>/dev/null; done
  wait 2>/dev/null
  local c
  for c in "${CLEANUP[@]}"; do eval "$c"; done
  if grep -lE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$WORK"/*.log 2>/dev/null; then
    grep -hE -A25 "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$WORK"/*.log | head -80
    echo "FAIL: sanitizer report (see above)"
    status=1
  fi
  rm -rf "$WORK"
  exit $status
}
trap finish EXIT
. "$case_script"
