#!/usr/bin/env bash
# Tracing overhead, side by side in one run: each workload untraced, under
# `strace -f --seccomp-bpf -e trace=<threadtrace's set>`, and under `threadtrace trace` (its default: the seccomp
# fast path, annotated events to stderr). Tracer and program share one CPU (taskset -c 0); the rounds of the
# runners are interleaved and the median wall time is reported with the ratios the issue sets as goals. The last
# column, `trace --quiet --summary none` (the same stops, nothing explained or printed), is for reference.
#   benchmarks/trace-overhead.sh [ROUNDS]        (default 9)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_swift
ensure_packages libseccomp-dev libunwind-dev strace
rounds=${1:-9}
cpu=${BENCH_CPU:-0}
work=$(mktemp -d /tmp/threadtrace-overhead.XXXXXX)
trap 'rm -rf "$work"' EXIT

# As we recommend installing it: the Swift runtime linked in, which takes a third off its start-up (3.5 ms
# against 5.4 ms of CPU here), a visible part of a short traced run.
swift build -c release --static-swift-stdlib --product threadtrace --build-path .build-static >&2
threadtrace=$PWD/.build-static/release/threadtrace

# The programs, built as a user would build them.
cc -O2 -pthread -o "$work/pthreads" benchmarks/workloads/pthreads.c
cc -O2 -pthread -o "$work/mutex" benchmarks/workloads/mutex.c
cc -O2 -o "$work/getppid" benchmarks/workloads/getppid.c
workloads=("pthreads|2,000 pthreads, joined 16 at a time|thread|$work/pthreads"
  "mutex|8 threads taking turns on one mutex|mutex|$work/mutex"
  "getppid|200,000 getppid calls|getppid|$work/getppid")
if command -v go >/dev/null; then
  (cd "$work" && cp "$OLDPWD/benchmarks/workloads/churn.go" . && GOFLAGS=-mod=mod GO111MODULE=off \
    GOCACHE="$work/gocache" go build -o go-churn churn.go) &&
    workloads+=("go|Go: 500 goroutines that each take their OS thread down|thread|$work/go-churn")
fi
rustc=$(command -v rustc || echo "$HOME/.cargo/bin/rustc")
if [ -x "$rustc" ]; then
  "$rustc" -O -o "$work/rust-threads" benchmarks/workloads/threads.rs &&
    workloads+=("rust|Rust std: 2,000 threads, joined 16 at a time|thread|$work/rust-threads")
fi

# strace traces the calls threadtrace tells the story of (it cannot filter futex by its flags): the calls of
# SeccompFilter.lifecycleCalls (+ futex, write), and `exit`, `set_robust_list` and `rseq`, which threadtrace
# reads at the exit stop instead of stopping at them and strace can only learn from the calls.
set_list=clone,clone3,fork,vfork,execve,execveat,exit,exit_group,mmap,mprotect,munmap,madvise,set_robust_list,rseq,futex,futex_waitv,sigaltstack,prctl,set_tid_address,arch_prctl,sched_setaffinity,wait4,waitid,kill,tkill,tgkill,openat,open,close,write

wall() {  # wall CMD... -> microseconds on stdout
  local start end
  start=$(date +%s%N)
  taskset -c "$cpu" "$@" >/dev/null 2>"$work/stderr" || { echo "failed: $*" >&2; tail -3 "$work/stderr" >&2; }
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%s\n' "Overhead, median wall time of $rounds rounds, tracer and program on CPU $cpu ($(uname -r), $(strace -V | head -1))"
printf '\n| %-52s | %10s | %10s | %11s | %9s | %9s | %s | %11s |\n' workload untraced strace threadtrace "tt/strace" "tt/untr." goal "tt --quiet"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..54})" ------------ ------------ ------------- ----------- ----------- ------ -------------
for entry in "${workloads[@]}"; do
  IFS='|' read -r key label kind program <<<"$entry"
  : >"$work/$key.untraced"; : >"$work/$key.strace"; : >"$work/$key.threadtrace"; : >"$work/$key.quiet"
  wall "$program" >/dev/null  # warm caches
  for ((round = 0; round < rounds; round++)); do
    wall "$program" >>"$work/$key.untraced"
    wall strace -f --seccomp-bpf -qq -e trace="$set_list" "$program" >>"$work/$key.strace"
    wall "$threadtrace" trace -- "$program" >>"$work/$key.threadtrace"
    # For reference, not a goal: the same stops with nothing explained, printed or summed up.
    wall "$threadtrace" trace --quiet --summary none -- "$program" >>"$work/$key.quiet"
  done
  untraced=$(median <"$work/$key.untraced")
  straced=$(median <"$work/$key.strace")
  traced=$(median <"$work/$key.threadtrace")
  quiet=$(median <"$work/$key.quiet")
  case $kind in
    thread) goal="tt/strace <= 0.7" ;;
    mutex) goal="tt/untr. <= 1.5" ;;
    getppid) goal="tt/untr. <= 1.1" ;;
  esac
  awk -v l="$label" -v u="$untraced" -v s="$straced" -v t="$traced" -v g="$goal" -v q="$quiet" 'BEGIN {
    printf "| %-52s | %7.1f ms | %7.1f ms | %8.1f ms | %9.2f | %9.2f | %s | %8.1f ms |\n", l, u / 1000, s / 1000, t / 1000, t / s, t / u, g, q / 1000 }'
done
