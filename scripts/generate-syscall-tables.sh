#!/bin/sh
# Regenerates Sources/SyscallDecoding/Tables/SyscallTable+x86_64.swift and SyscallTable+i386.swift from the installed
# libseccomp (Debian 12: libseccomp-dev 2.5.4) plus the hand-added rows in generate-syscall-tables.c.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -std=c11 -Wall -Wextra -Werror -o "$work/generate" "$root/scripts/generate-syscall-tables.c" -lseccomp
for arch in x86_64 i386; do
  "$work/generate" "$arch" > "$work/SyscallTable+$arch.swift"
  mv "$work/SyscallTable+$arch.swift" "$root/Sources/SyscallDecoding/Tables/SyscallTable+$arch.swift"
done
