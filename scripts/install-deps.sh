#!/usr/bin/env bash
# Installs what building and testing need, from Debian's packages. Safe to
# run repeatedly; does nothing when everything is present.
set -eu
packages=(build-essential cmake pkg-config libssl-dev openssl libgtest-dev python3 dwarves
          clang libclang-rt-14-dev iproute2 valgrind)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm run the WebSocket interop test (tests/interop/cases/ws_node.sh,
# which installs the npm package "ws"). Debian's packages only when there is
# no node/npm at all (a Node.js build of another origin may bring its own npm).
command -v node > /dev/null 2>&1 || missing+=(nodejs)
command -v npm > /dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" > /dev/null
fi
