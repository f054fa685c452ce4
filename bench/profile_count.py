#!/usr/bin/env python3
# bench/profile_count.py — bench/profile.sh's counter: reads QEMU's `-d in_asm,exec,nochain`
# log (a path, usually a FIFO) and keel's function symbols (`nm -n -C` lines), and prints
# "<instructions>\t<function>" per keel function plus one "<guest>" line. A block's size comes
# from its in_asm listing (the newest translation at that pc); each "Trace" line is one
# execution. keel's blocks are those translated for MMU index 6 (EL2, bits 4-7 of the TB
# flags in QEMU 7.x); counting starts at the first block of any other index (the first guest
# instruction), so keel's boot is not counted — unless a third argument "all" asks for
# everything from keel's first instruction (bench/profile.sh --boot).
import bisect
import re
import sys

trace, symfile = sys.argv[1:3]
from_start = len(sys.argv) > 3 and sys.argv[3] == "all"
size = {}    # block start pc -> instructions
execs = {}   # (pc, is_keel) -> executions
cur, n = None, 0
started = from_start
ins = re.compile(r"^0x([0-9a-f]+):\s")
ex = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/([0-9a-f]+)/")
with open(trace, errors="replace") as f:
    for line in f:
        if line.startswith("Trace"):
            m = ex.match(line)
            if not m:
                continue
            keel = (int(m.group(2), 16) >> 4) & 0xF == 6
            if not keel:
                started = True
            if started:
                key = (int(m.group(1), 16), keel)
                execs[key] = execs.get(key, 0) + 1
            continue
        if line.startswith("IN:"):
            if cur is not None:
                size[cur] = n
            cur, n = None, 0
            continue
        m = ins.match(line)
        if m:
            if cur is None:
                cur = int(m.group(1), 16)
            n += 1
if cur is not None:
    size[cur] = n

addrs, names = [], []
with open(symfile) as f:
    for line in f:
        p = line.split(None, 2)
        if len(p) == 3:
            addrs.append(int(p[0], 16))
            names.append(p[2].strip())
per = {"<guest>": 0}
for (pc, keel), c in execs.items():
    k = c * size.get(pc, 1)
    if not keel:
        per["<guest>"] += k
        continue
    i = bisect.bisect_right(addrs, pc) - 1
    name = names[i] if i >= 0 else hex(pc)
    per[name] = per.get(name, 0) + k
for name, k in per.items():
    print(f"{k}\t{name}")
