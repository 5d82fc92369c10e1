#!/usr/bin/env bash
# Thousands of threads alive at once (the service with 18,000 threads): `benchmarks/workloads/many-threads.c`
# untraced, under `strace -f --seccomp-bpf` with threadtrace's set of calls, and under `threadtrace trace`,
# interleaved, medians of wall and CPU time; then `threadtrace explain --format json` on strace's log of the
# same program, beside `wc -l`. Not pinned to one CPU: the cost measured is the kernel's and the tracer's work
# per task, which grows with the number of tasks.
#   benchmarks/many-threads.sh [THREADS] [ROUNDS]        (defaults 4000 and 3)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_swift
ensure_packages libseccomp-dev libunwind-dev strace time
threads=${1:-4000}
rounds=${2:-3}
work=$(mktemp -d /tmp/threadtrace-many.XXXXXX)
trap 'rm -rf "$work"' EXIT

swift build -c release --static-swift-stdlib --product threadtrace --build-path .build-static >&2
threadtrace=$PWD/.build-static/release/threadtrace
cc -O2 -pthread -o "$work/many-threads" benchmarks/workloads/many-threads.c
program=("$work/many-threads" "$threads")
# As trace-overhead.sh: the calls threadtrace tells the story of.
set_list=clone,clone3,fork,vfork,execve,execveat,exit,exit_group,mmap,mprotect,munmap,madvise,set_robust_list,rseq,futex,futex_waitv,sigaltstack,prctl,set_tid_address,arch_prctl,sched_setaffinity,wait4,waitid,kill,tkill,tgkill,openat,open,close,write

measure() {  # measure NAME CMD... -> appends "wall_ms cpu_ms" to $work/NAME
  local name=$1
  shift
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" ||
    { echo "failed: $*" >&2; tail -3 "$work/stderr" >&2; }
  awk '{ printf "%.1f %.1f\n", $1 * 1000, ($2 + $3) * 1000 }' "$work/time" >>"$work/$name"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for ((round = 0; round < rounds; round++)); do
  measure untraced "${program[@]}"
  measure strace strace -f --seccomp-bpf -qq -e trace="$set_list" "${program[@]}"
  measure threadtrace "$threadtrace" trace -- "${program[@]}"
done

printf '%s\n' "$threads threads alive at once, median of $rounds rounds ($(uname -r), $(nproc) CPUs, $(strace -V | head -1))"
printf '\n| %-28s | %12s | %12s |\n|%s|%s|%s|\n' runner "wall" "CPU (all)" ------------------------------ -------------- --------------
for name in untraced strace threadtrace; do
  wall=$(cut -d' ' -f1 <"$work/$name" | median)
  cpu=$(cut -d' ' -f2 <"$work/$name" | median)
  printf '| %-28s | %9.0f ms | %9.0f ms |\n' "$name" "$wall" "$cpu"
done

# The same program's strace log, explained.
strace -f -o "$work/many.strace" "${program[@]}" >/dev/null
bytes=$(stat -c %s "$work/many.strace")
printf '\nexplain --format json on its strace -f log (%s lines, %s MiB):\n' "$(wc -l <"$work/many.strace")" "$((bytes >> 20))"
for tool in "wc -l" "$threadtrace explain --format json"; do
  /usr/bin/time -f '%U %S %M' -o "$work/time" $tool "$work/many.strace" >/dev/null
  read -r user sys rss <"$work/time"
  awk -v n="${tool##*/}" -v u="$user" -v s="$sys" -v b="$bytes" -v r="$rss" \
    'BEGIN { c = u + s; printf "  %-32s %6.2f s CPU %7.0f MB/s %7.1f MB peak RSS\n", n, c, b / 1e6 / (c > 0 ? c : 0.001), r / 1024 }'
done
