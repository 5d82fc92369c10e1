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
binary=${THREADTRACE_BINARY:-.build/release/threadtrace}  # another build to compare against
bytes=$(stat -c %s "$log")
cat "$log" >/dev/null  # warm the page cache so both tools read from memory

measure() {  # measure NAME CMD... -> "NAME cpu-seconds MB/s-by-cpu wall-seconds maxrss_MB"
  # The CPU time (user + sys) is what the comparison uses: on a shared machine wall time mostly measures others.
  local name=$1
  shift
  local report="$work/time.$name"
  /usr/bin/time -f '%e %U %S %M' -o "$report" taskset -c 0 "$@" >/dev/null
  read -r seconds user sys rss_kb <"$report"
  awk -v n="$name" -v s="$seconds" -v u="$user" -v y="$sys" -v b="$bytes" -v r="$rss_kb" \
    'BEGIN { c = u + y; printf "%-34s %7.2f s cpu %7.0f MB/s %7.2f s wall %8.1f MB peak RSS\n", n, c, b / 1e6 / (c > 0 ? c : 0.001), s, r / 1024 }'
}

echo "input: $log ($((bytes >> 20)) MiB, $(wc -l <"$log") lines), one CPU (taskset -c 0)"
measure "wc -l" wc -l "$log"
measure "threadtrace explain --format json" "$binary" explain --format json "$log"
measure "threadtrace explain (text)" "$binary" explain --color never "$log"
