#!/usr/bin/env bash
# Runs every test: installs the Debian packages needed, builds with gcc
# (warnings are errors) and runs the whole ctest suite (unit, ABI, exports,
# install, differential against libcoap 4.3.5, interop with Debian's
# libcoap binaries), then builds again with clang + AddressSanitizer + UBSan
# + libFuzzer and runs the unit tests and every fuzz target for a bounded
# time.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
"$top/scripts/install-deps.sh"
"$top/scripts/fetch-reference.sh" > /dev/null

echo "== gcc build and full test suite"
cmake -S "$top" -B "$top/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOAP_WERROR=ON > /dev/null
cmake --build "$top/build" -j"$jobs"
(cd "$top/build" && ctest -j"$jobs" --output-on-failure)

echo "== clang: sanitizers and fuzzing"
CC=clang CXX=clang++ cmake -S "$top" -B "$top/build-fuzz" -DCMAKE_BUILD_TYPE=Debug \
  -DCOAP_WERROR=ON -DCOAP_FUZZ=ON -DCOAP_BUILD_OPENSSL=ON > /dev/null
cmake --build "$top/build-fuzz" -j"$jobs"
(cd "$top/build-fuzz" && ctest -j"$jobs" --output-on-failure -L sanitize)
