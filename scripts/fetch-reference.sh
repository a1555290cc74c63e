#!/usr/bin/env bash
# Downloads Debian's libcoap packages into a cache directory without
# installing them, so tests can compare against the real libcoap:
#   sid:      libcoap3-dev, libcoap3t64  (4.3.5 headers, examples, man pages)
#   bookworm: libcoap3, libcoap3-bin, libcoap3-dev (runnable 4.3.1 peers)
# Usage: scripts/fetch-reference.sh [CACHE_DIR]
# Prints the cache directory on success. Layout:
#   CACHE/sid/root       unpacked sid packages (usr/include/coap3, ...)
#   CACHE/bookworm/root  unpacked bookworm packages (usr/bin, usr/lib, ...)
set -euo pipefail

cache=${1:-${COAP_REF_CACHE:-$(cd "$(dirname "$0")/.." && pwd)/.ref-cache}}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

die() { echo "fetch-reference: $*" >&2; exit 1; }

# Already complete? Nothing to do.
if [ -f "$cache/sid/.done" ] && [ -f "$cache/bookworm/.done" ]; then
  echo "$cache"
  exit 0
fi

command -v apt-get >/dev/null || die "apt-get not found: this script needs a Debian system"

# The mirror the machine already uses: first http(s) URI of the main Debian
# archive (not the security archive) in the apt configuration.
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  while read -r key val; do
    if [ "$key" = "URIs:" ] && [ -z "$mirror" ]; then
      for u in $val; do
        case "$u" in *debian-security*|*security.debian*) ;; http*://*/debian|http*://*/debian/) mirror=${u%/}; break ;; esac
      done
    fi
  done < "$f"
done
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1=="deb" { for (i=2;i<=NF;i++) if ($i ~ /^https?:\/\// && $i !~ /security/) { print $i; exit } }' /etc/apt/sources.list)
  mirror=${mirror%/}
fi
[ -n "$mirror" ] || die "could not find a Debian mirror in the apt configuration"

# Fetches packages of one suite into CACHE/SUITE/root using a private apt
# state (lists, caches), so the system's apt state is left alone.
fetch_suite() {
  local suite=$1; shift
  local dir="$cache/$suite"
  [ -f "$dir/.done" ] && return 0
  rm -rf "$dir"
  mkdir -p "$dir/lists/partial" "$dir/archives/partial" "$dir/debs" "$dir/root"
  echo "deb $mirror $suite main" > "$dir/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
              -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache"
              -o "Dir::Cache::archives=$dir/archives" -o "APT::Get::List-Cleanup=0"
              -o "Debug::NoLocking=1")
  mkdir -p "$dir/cache"
  apt-get "${opts[@]}" -qq update >"$dir/update.log" 2>&1 \
    || die "apt-get update for $suite failed (see $dir/update.log)"
  local pkg ver
  for pkg in "$@"; do
    ver=$(apt-cache "${opts[@]}" policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')
    [ -n "$ver" ] && [ "$ver" != "(none)" ] || die "$suite has no package $pkg"
    if [ "$suite" = sid ]; then
      case "$ver" in 4.3.5-*) ;; *) die "sid carries $pkg $ver, not 4.3.5-*: the reference must be libcoap 4.3.5" ;; esac
    fi
    (cd "$dir/debs" && apt-get "${opts[@]}" -qq download "$pkg=$ver") >>"$dir/update.log" 2>&1 \
      || die "downloading $pkg $ver from $suite failed (see $dir/update.log)"
  done
  local deb
  for deb in "$dir"/debs/*.deb; do
    dpkg -x "$deb" "$dir/root"
  done
  rm -rf "$dir/lists" "$dir/cache" "$dir/archives"
  touch "$dir/.done"
}

fetch_suite sid libcoap3-dev libcoap3t64
fetch_suite bookworm libcoap3 libcoap3-bin libcoap3-dev
echo "$cache"
