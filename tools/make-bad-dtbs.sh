#!/usr/bin/env bash
# tools/make-bad-dtbs.sh — the malformed device trees for keel's boot scenarios.
# Starts from QEMU's own virt tree (dumpdtb), then breaks it one way per file:
#   bad-magic.dtb          magic 0x12345678 instead of 0xd00dfeed (byte surgery)
#   truncated.dtb          header totalsize claims 3 MiB; keel reads at most 2 MiB
#                          (Linux arm64 booting.rst limit), so it knows the blob is cut
#   truncated-cut.dtb      the blob cut to its first 4 KiB and totalsize set to 4096:
#                          the structure block now runs past the end of the blob
#   no-memory.dtb          /memory@40000000 removed (dtc round trip)
#   overlapping-banks.dtb  a second memory node [0x60000000,0xa0000000) overlapping
#                          QEMU's [0x40000000,0x80000000) (dtc round trip)
# Why two truncations: a blob cut short while its header still claims the full
# size is indistinguishable, in memory, from a whole blob followed by other
# bytes; keel can only see truncation the header itself reveals.
# QEMU refuses such blobs with -dtb, so scenarios hand them to keel with the
# boot stub (tests/scenarios/boot-stub). Usage: tools/make-bad-dtbs.sh <outdir>
set -euo pipefail
# Any command that fails names itself (what a make step then shows).
trap 'echo "make-bad-dtbs: failed (exit $?): $BASH_COMMAND" >&2' ERR
out=${1:?usage: tools/make-bad-dtbs.sh <outdir>}
mkdir -p "$out"
QEMU=${QEMU:-qemu-system-aarch64}

timeout 60 "$QEMU" -machine virt,virtualization=on,gic-version=3,dumpdtb="$out/virt.dtb" \
    -cpu cortex-a57 -smp 2 -m 1G -nic none -nographic >/dev/null
dtc -q -I dtb -O dts -o "$out/virt.dts" "$out/virt.dtb"

python3 - "$out" <<'PY'
import re, struct, sys
out = sys.argv[1]
blob = open(f"{out}/virt.dtb", "rb").read()
assert blob[:4] == b"\xd0\x0d\xfe\xed", "QEMU's dump is not a DTB"

def put32(b, off, v):
    return b[:off] + struct.pack(">I", v) + b[off + 4:]

open(f"{out}/bad-magic.dtb", "wb").write(put32(blob, 0, 0x12345678))
open(f"{out}/truncated.dtb", "wb").write(put32(blob, 4, 3 << 20))
open(f"{out}/truncated-cut.dtb", "wb").write(put32(blob[:4096], 4, 4096))

dts = open(f"{out}/virt.dts").read()
# Node bodies in dtc output hold no braces, so a non-greedy match ends at the node's "};".
memory = re.compile(r"\n\tmemory@40000000 \{.*?\n\t\};\n", re.S)
assert memory.search(dts), "no memory@40000000 in QEMU's tree"
open(f"{out}/no-memory.dts", "w").write(memory.sub("\n", dts, count=1))
extra = ('\n\tmemory@60000000 {\n\t\treg = <0x00 0x60000000 0x00 0x40000000>;\n'
         '\t\tdevice_type = "memory";\n\t};\n')
open(f"{out}/overlapping-banks.dts", "w").write(memory.sub(lambda m: m.group(0) + extra, dts, count=1))
PY
for n in no-memory overlapping-banks; do
    dtc -q -I dts -O dtb -o "$out/$n.dtb" "$out/$n.dts"
done
ls "$out"/*.dtb
