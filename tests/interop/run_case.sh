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
export WORK=$(mktemp -d)
# The case runs in this shell, so its background servers are our jobs and
# are stopped on exit whatever happens.
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
. "$case_script"
