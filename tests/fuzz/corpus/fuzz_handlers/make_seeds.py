#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# tests/fuzz/corpus/fuzz_handlers/make_seeds.py
# Writes the seed programs of fuzz_handlers next to this script (seed-*.bin),
# in the harness's input format (see the header of tests/fuzz/fuzz_handlers.cpp):
# three domain layouts, then steps. Run it again after changing that format.
import os

HERE = os.path.dirname(os.path.abspath(__file__))
W1, W2, W4, W8 = 0x00, 0x40, 0x80, 0xC0  # value widths (tag bits 7:6)


def zero(w=W8): return [w | 0, 0]
def small(b, w=W8): return [w | 1, b]
def raw(v, w=W8):
    n = 1 << (w >> 6)
    return [w | 2] + list(v.to_bytes(8, "little")[:n]) if n > 1 else [w | 2, v & 0xFF]
def va(page, off=0, w=W8): return [w | 3, page] + list(off.to_bytes(2, "little"))
def own(w=W2): return [w | 5, 0]
def dom(i, w=W2): return [w | 6, i]          # domain index 0..2 → id 1..3
def self_(w=W2): return [w | 7, 0]
def ram_gfn(b, w=W8): return [w | 8, b]
def special_gfn(b, w=W8): return [w | 9, b]
def gmap_addr(b, w=W8): return [w | 10, b]
def gmap_gfn(b, w=W8): return [w | 11, b]
def hole_gfn(mmio=0, w=W8): return [w | 12, mmio]
def mfn_of_ram(b, w=W8): return [w | 14, b]


def block(at, *values, length=None):
    body = [x for v in values for x in v]
    n = length if length is not None else sum(1 << (v[0] >> 6) for v in values)
    return at + [n] + body


def call(domain, sel, x, blocks=(), vcpu=0, preempt=0, masked=0, nr=None):
    # sel: index into the harness's kCalls (0 memory_op, 1 multicall, 2 xen_version,
    # 3 console_io, 4 grant_table_op, 5 vm_assist, 6 vcpu_op, 7 sched_op,
    # 8 event_channel_op, 9 hvm_op, 10 platform_op, 11 domctl, 12 sysctl)
    args = list(x) + [zero()] * (5 - len(x))
    out = [domain, vcpu, sel] + ([] if nr is None else [nr]) + [masked]
    for a in args: out += a
    out += [len(blocks)]
    for b in blocks: out += b
    return out + list(preempt.to_bytes(2, "little"))


def domains(*layouts):
    out = []
    for vcpus, ram in layouts: out += [vcpus, ram, 0]
    return out


PRIVILEGED = 0x80  # in the vCPU byte of a layout: the domain has dom0's rights


def time(ms_log2): return [0xE0 + ms_log2]
def crash(i): return [0xF0 + i]
def rebuild(i): return [0xF9 + i, 1, 0, 0]  # 0xF9 % 3 == 0: op % 3 names the domain; vCPUs, RAM, layout


seeds = {}

# Event channels: d1 offers a port to d2, d2 binds it and sends, d1 checks status and closes.
p = domains((1, 0), (2, 1), (1, 0))
p += call(0, 8, [small(6), va(0)], [block(va(0), own(), dom(1), zero(W4))])
p += call(1, 8, [small(0), va(0)], [block(va(0), dom(0), zero(W2), small(1, W4), zero(W4))])
p += call(1, 8, [small(4), va(1)], [block(va(1), small(1, W4))])
p += call(0, 8, [small(5), va(2)], [block(va(2), self_(), zero(W2), small(1, W4))])
p += call(0, 8, [small(3), va(3)], [block(va(3), small(1, W4))])
p += call(1, 8, [small(4), va(1)], [block(va(1), small(1, W4))])
seeds["evtchn-pair"] = p

# Grant: d1 maps grant frame 0 at the special GFN (its VA page 15), grants RAM page 5 to
# d2 there, d2 maps it, copies into it, and d1 ends while d2 still maps the page.
p = domains((1, 0), (1, 0), (1, 0))
p += call(0, 0, [small(7), va(0)], [block(va(0), own(), zero(W2), small(1, W4), zero(), special_gfn(0))])
p += call(0, 0, [small(0), va(0)], [block(va(15), small(1, W2), dom(1), ram_gfn(5, W4))])
p += call(1, 4, [small(0), va(1), small(1)],
          [block(va(1), gmap_addr(0), small(2, W4), zero(W4), dom(0), zero(W2), zero(W4), zero())])
p += call(1, 4, [small(5), va(2), small(1)],
          [block(va(2), ram_gfn(3), own(), zero(W2), zero(W4),
                 zero(W4), zero(W4), dom(0), zero(W2), zero(W4),
                 small(64, W2), small(2, W2), zero(W4))])
p += crash(0) + rebuild(0)
p += call(1, 4, [small(1), va(3), small(1)], [block(va(3), gmap_addr(0), zero(), small(0, W4), zero(W4))])
seeds["grant-map"] = p

# memory_op: d1 gives pages back and populates them again, preempted between extents.
p = domains((1, 0), (1, 0), (1, 0))
p += call(0, 0, [small(1), va(0)],
          [block(va(0), va(1), small(4), zero(W4), zero(W4), self_(), zero(W2), zero(W4)),
           block(va(1), ram_gfn(8), ram_gfn(9), ram_gfn(10), ram_gfn(11))], preempt=0b101)
p += call(0, 0, [small(6), va(0)], [], preempt=0b11)
p += call(0, 0, [small(3), va(2)], [block(va(2), self_())])
p += call(0, 0, [small(4), va(2)])
seeds["memory-reservation"] = p

# console_io write across pages (one of them read-only) and a multicall of three entries.
p = domains((1, 0), (1, 0), (1, 0))
p += call(0, 3, [small(0), raw(300, W8), va(11, 4000)],
          [block(va(11, 4000), *[raw(0x0a41424344454647)] * 12)], preempt=0b1)
p += call(0, 1, [va(4), small(3)],
          [block(va(4), small(17), zero(), zero(), zero(), zero(), zero(), zero(), zero(),
                 small(12), zero(), small(3), va(5), zero(), zero(), zero(), zero(),
                 small(13), zero(), va(4), small(1), zero(), zero(), zero(), zero())], preempt=0b10)
seeds["console-multicall"] = p

# vcpu_info + FIFO + poll with a timeout that fires, then SCHEDOP_shutdown.
p = domains((2, 0), (1, 0), (1, 0))
p += call(0, 6, [small(10), small(1), va(0)], [block(va(0), ram_gfn(9), small(64, W4), zero(W4))])
p += call(0, 6, [small(5), small(0), va(0)], [block(va(0), va(6, 8))])
p += call(0, 8, [small(11), va(1)], [block(va(1), ram_gfn(10), small(0, W4), zero(W4), zero(W4))])
p += call(0, 8, [small(7), va(2)], [block(va(2), zero(W4), zero(W4))])
p += call(0, 7, [small(3), va(3)], [block(va(3), va(4), small(1, W4), zero(W4), raw(5_000_000))],
          vcpu=1, masked=1)
p += time(4)
p += call(0, 7, [small(2), va(5)], [block(va(5), small(0, W4))])
p += call(1, 7, [small(2), va(5)], [block(va(5), small(3, W4))])
seeds["vcpu-poll-shutdown"] = p

# Pointers at absent, MMIO and read-only pages, and out-of-range numbers.
p = domains((1, 0), (1, 0), (1, 0))
p += call(0, 8, [small(6), va(13)])
p += call(0, 8, [small(6), va(12)], [block(va(12), own(), dom(2), zero(W4))])
p += call(0, 0, [small(7), va(14)])
p += call(0, 4, [small(2), va(11, 4090), small(1)], [block(va(11, 4090), own(), small(4, W4))])
p += call(1, 0xF1, [small(1)], nr=200)
p += call(2, 9, [small(1), va(0)], [block(va(0), self_(), zero(W2), small(1, W4), raw(7))])
seeds["bad-pointers"] = p

# Control domain (d1 is privileged): getdomaininfo of d2, physinfo, getdomaininfolist,
# cpupool INFO with a CPU bitmap, readconsole, numainfo, cputopoinfo, getvcpuinfo; the toolstack's event channel
# and HVM parameter in d2; then d2 tries a domctl (-EPERM).
V = small(0x15, W4)
p = domains((1, 0), (2, 0), (1, 0))
p += call(0, 11, [va(0)], [block(va(0), small(5, W4), V, dom(1), zero(W2), zero(W4))])
p += call(0, 12, [va(1)], [block(va(1), small(3, W4), V)])
p += call(0, 12, [va(1)], [block(va(1), small(6, W4), V, zero(W2), zero(W2), small(8, W4), va(2))])
p += call(0, 12, [va(1)], [block(va(1), small(18, W4), V, small(3, W4), zero(W4), zero(W4), zero(W4),
                                  zero(W4), zero(W4), va(4), small(8, W4))])
p += call(0, 12, [va(1)], [block(va(1), small(1, W4), V, small(1, W1), zero(W1), zero(W2), zero(W4),
                                  va(5), small(200, W4))])
p += call(0, 12, [va(1)], [block(va(1), small(17, W4), V, small(2, W4), zero(W4), va(6), va(7))])
p += call(0, 12, [va(1)], [block(va(1), small(16, W4), V, small(4, W4), zero(W4), va(6))])
p += call(0, 11, [va(0)], [block(va(0), small(14, W4), V, dom(1), zero(W2), zero(W4), small(1, W4))])
p += call(0, 8, [small(6), va(3)], [block(va(3), dom(1), self_(), zero(W4))])
p += call(0, 9, [small(0), va(3)], [block(va(3), dom(1), zero(W2), small(2, W4), raw(1))])
p += call(1, 11, [va(0)], [block(va(0), small(5, W4), V, dom(0), zero(W2), zero(W4))])
seeds["ctl"] = p

# Foreign mapping: privileged d1 balloons out a page and maps pages of d2 there
# (XENMEM_add_to_physmap_batch, XENMAPSPACE_gmfn_foreign): RAM, a hole, MMIO;
# unprivileged d3 tries the same; d1 removes one mapping, d2 dies while d1 maps
# the other, d1 maps a page of the rebuilt d2 over its own RAM and frame 0 of
# its grant table (XENMEM_acquire_resource), and d2 dies again.
def batch(foreign, size, idxs_va, gpfns_va, errs_va):
    return (self_(), small(4, W2), small(size, W2), foreign,
            va(idxs_va), va(gpfns_va), va(errs_va))


p = domains((1 | PRIVILEGED, 0), (1, 0), (1, 0))
p += call(0, 0, [small(1), va(0)],
          [block(va(0), va(1), small(1), zero(W4), zero(W4), self_(), zero(W2), zero(W4)),
           block(va(1), ram_gfn(20))])
p += call(0, 0, [small(23), va(2)],
          [block(va(2), *batch(dom(1), 4, 3, 4, 5)),
           block(va(3), ram_gfn(3), ram_gfn(4), hole_gfn(), hole_gfn(1)),
           block(va(4), ram_gfn(20), gmap_gfn(1), gmap_gfn(2), gmap_gfn(3))], preempt=0b10)
p += call(2, 0, [small(23), va(2)],
          [block(va(2), *batch(dom(0), 1, 3, 4, 5)),
           block(va(3), ram_gfn(3)), block(va(4), gmap_gfn(4))])
p += call(0, 0, [small(15), va(6)], [block(va(6), self_(), zero(W2), zero(W4), gmap_gfn(1))])
p += crash(1) + rebuild(1)
p += call(0, 0, [small(23), va(2)],
          [block(va(2), *batch(dom(1), 1, 3, 4, 5)),
           block(va(3), ram_gfn(7)), block(va(4), ram_gfn(21))])
p += call(0, 0, [small(28), va(7)],
          [block(va(7), dom(1), small(1, W2), zero(W4), small(1, W4), zero(W4), zero(), va(8)),
           block(va(8), gmap_gfn(5))])
p += crash(1)
seeds["foreign-map"] = p

# Foreign mapping, bad input: foreign DOMID_SELF, DOMID_INVALID, DOMID_XEN and
# the caller's own id, a GFN beyond the IPA size, size 0, an errs array on an
# absent page, a grant-frame GFN; acquire_resource with pad set, the status
# id, unknown types, the size query, the caller itself, frames beyond the
# table; cache_flush of a foreign-mapped frame.
p = domains((1 | PRIVILEGED, 0), (1, 0), (1, 0))
one = [block(va(3), ram_gfn(3)), block(va(4), gmap_gfn(6))]
for foreign in (self_(), raw(0x7FF4, W2), raw(0x7FF2, W2), own(), raw(0x7FFF, W2), raw(0xFFFF, W2)):
    p += call(0, 0, [small(23), va(2)], [block(va(2), *batch(foreign, 1, 3, 4, 5))] + one)
p += call(0, 0, [small(23), va(2)],
          [block(va(2), *batch(dom(1), 1, 3, 4, 5)), block(va(3), ram_gfn(3)), block(va(4), raw(1 << 40))])
p += call(0, 0, [small(23), va(2)], [block(va(2), *batch(dom(1), 0, 3, 4, 5))])
p += call(0, 0, [small(23), va(2)],
          [block(va(2), *batch(dom(1), 2, 3, 4, 13)), block(va(3), ram_gfn(3), ram_gfn(4)),
           block(va(4), gmap_gfn(7), gmap_gfn(8))])
p += call(1, 0, [small(7), va(0)], [block(va(0), own(), zero(W2), small(1, W4), zero(), special_gfn(0))])
p += call(0, 0, [small(23), va(2)],
          [block(va(2), *batch(dom(1), 1, 3, 4, 5)), block(va(3), special_gfn(0)), block(va(4), gmap_gfn(9))])


def acquire(domain, type_, id_, nr, pad, frame, frame_list):
    return block(va(7), domain, small(type_, W2), small(id_, W4), small(nr, W4), small(pad, W4),
                 small(frame), frame_list)


for args in ((dom(1), 1, 0, 1, 1, 0, va(8)), (dom(1), 1, 1, 1, 0, 0, va(8)), (dom(1), 7, 0, 1, 0, 0, va(8)),
             (dom(1), 0, 0, 1, 0, 0, va(8)), (dom(1), 1, 0, 0, 0, 0, zero()), (own(), 1, 0, 1, 0, 0, va(8)),
             (self_(), 1, 0, 1, 0, 0, va(8)), (dom(1), 1, 0, 2, 0, 63, va(8)), (dom(1), 1, 0, 0, 0, 0, va(8))):
    p += call(0, 0, [small(28), va(7)], [acquire(*args), block(va(8), gmap_gfn(10), gmap_gfn(11))])
p += call(0, 0, [small(28), va(7)], [acquire(dom(1), 1, 0, 2, 0, 3, va(8)), block(va(8), gmap_gfn(10), gmap_gfn(11))],
          preempt=0b10)
p += call(0, 4, [small(12), va(9), small(1)],
          [block(va(9), [W8 | 14, 0x86], zero(W2), small(64, W2), small(2, W4))])
p += call(0, 0, [small(15), va(6)], [block(va(6), self_(), zero(W2), zero(W4), gmap_gfn(10))])
p += crash(1)
seeds["foreign-map-bad"] = p

for name, prog in seeds.items():
    with open(os.path.join(HERE, f"seed-{name}.bin"), "wb") as f:
        f.write(bytes(b & 0xFF for b in prog))
