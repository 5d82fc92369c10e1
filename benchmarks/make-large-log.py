#!/usr/bin/env python3
"""Writes a large strace log by repeating a real one with shifted pids.

Every number in the base log that is one of its pids (line prefixes, clone results, [pid] arrays, si_pid=,
"in pid N", /proc/N/ paths) is shifted by a different offset in each copy, so each copy is a fresh set of
processes and threads, as in a long-running service. Usage: make-large-log.py BASE OUT SIZE_MB
"""
import re
import sys

base, out, size_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(base, "rb") as f:
    lines = f.read().splitlines(keepends=True)

pids = set()
for line in lines:
    m = re.match(rb"^(\d+) ", line)
    if m:
        pids.add(int(m.group(1)))
if not pids:
    sys.exit(f"{base}: no pid-prefixed lines (record the base log with strace -f -o)")

number = re.compile(rb"(?<![0-9a-fx.])(\d{2,7})(?![0-9.])")
templates = []
for line in lines:
    parts = []
    last = 0
    for m in number.finditer(line):
        if int(m.group(1)) in pids:
            parts.append(line[last:m.start()])
            parts.append(int(m.group(1)))
            last = m.end()
    parts.append(line[last:])
    templates.append(parts)

stride = max(pids) - min(pids) + 1000
target = size_mb << 20
written = 0
copy = 0
with open(out, "wb", buffering=1 << 22) as f:
    while written < target:
        offset = copy * stride
        chunk = bytearray()
        for parts in templates:
            for part in parts:
                chunk += str(part + offset).encode() if isinstance(part, int) else part
        f.write(chunk)
        written += len(chunk)
        copy += 1
print(f"{out}: {written >> 20} MiB, {copy} copies of {base}", file=sys.stderr)
