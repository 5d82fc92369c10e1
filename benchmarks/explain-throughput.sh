#!/usr/bin/env bash
# Measures `threadtrace explain --format json` throughput and peak memory on a large strace log, side by side
# with `wc -l` on the same file in the same run, each pinned to one CPU.
#   benchmarks/explain-throughput.sh [SIZE_MB] [BASE_LOG]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_swift
ensure_packages libseccomp-dev libunwind-dev time
size_mb=${1:-1024}
base=${2:-fixtures/strace/default_threads.f-o.strace}
work=${BENCH_DIR:-/tmp/threadtrace-bench}
mkdir -p "$work"
log="$work/large-$(basename "$base").$size_mb.strace"
[ -s "$log" ] || python3 benchmarks/make-large-log.py "$base" "$log" "$size_mb"
swift build -c release --product threadtrace >&2
binary=.build/release/threadtrace
bytes=$(stat -c %s "$log")
cat "$log" >/dev/null  # warm the page cache so both tools read from memory

measure() {  # measure NAME CMD... -> "NAME seconds MB/s maxrss_MB"
  local name=$1
  shift
  local report="$work/time.$name"
  /usr/bin/time -f '%e %M' -o "$report" taskset -c 0 "$@" >/dev/null
  read -r seconds rss_kb <"$report"
  awk -v n="$name" -v s="$seconds" -v b="$bytes" -v r="$rss_kb" \
    'BEGIN { printf "%-32s %8.2f s %9.0f MB/s %8.1f MB peak RSS\n", n, s, b / 1e6 / (s > 0 ? s : 0.001), r / 1024 }'
}

echo "input: $log ($((bytes >> 20)) MiB, $(wc -l <"$log") lines), one CPU (taskset -c 0)"
measure "wc -l" wc -l "$log"
measure "threadtrace explain --format json" "$binary" explain --format json "$log"
measure "threadtrace explain (text)" "$binary" explain --color never "$log"
