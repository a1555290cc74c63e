#!/usr/bin/env bash
# Runs one fuzz target for a bounded time, starting from its committed seed
# corpus (copied, so the seeds stay as committed). Fails on any crash,
# sanitizer report or timeout the fuzzer finds.
# Usage: run_fuzz.sh TARGET SEED_DIR SECONDS
set -u
target=$1 seeds=$2 seconds=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
[ -d "$seeds" ] && cp -r "$seeds"/. "$work/corpus/"
cd "$work"
"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
          corpus > fuzz.log 2>&1
status=$?
grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+.*DONE)" fuzz.log | tail -3
if [ $status -ne 0 ]; then
  echo "FAIL: $(basename "$target") found a problem:"
  grep -A30 -E "ERROR|runtime error|deadly signal" fuzz.log | head -60
  exit 1
fi
echo "ok: $(basename "$target") ran ${seconds}s without findings"
