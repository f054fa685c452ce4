#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# bench/report.py — turns one bench run (OUT/runs.tsv, the QEMU logs in OUT/logs, OUT/meta.json,
# OUT/memory.txt) into OUT/results.json (every raw run + per-figure summary: min/median/max over
# the runs, ratios keel ÷ Xen and keel ÷ native of the medians, targets met/missed) and
# OUT/results.txt (the table docs/perf.md quotes). Usage: bench/report.py OUT
#
# Figures per run (guest-side figures are converted from CNTVCT ticks to ns with the guest's
# CNTFRQ; under -icount shift=0 one ns of virtual time is one emulated instruction):
#   boot      ms from QEMU start to each domU's GUEST-READY marker, "first" = the earliest.
#             wall: the harness's clock; icount: emulated time — keel: the guest's CNTVCT plus
#             the domain's cntvoff (keel's "overhead:" log line), Xen: Xen's console timestamp
#             of the DOMn line (console_timestamps=boot), native: the guest's CNTVCT.
#   hypercall per_call_ns (guest scalar)
#   evtchn    round_trip median and p99 (role a)
#   timer     latency median, p99, max
#   switch    per_switch = mean over A,B of (median gap of A - median run of B) / 2
#             (guests/bench/switch.cpp explains why)
#   grant     copy MiB/s, map_unmap_rate ops/s (higher is better), map_unmap median
import json
import os
import re
import statistics
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "build/bench"

LINE = re.compile(r"(?:\(d(\d+)\)|(?:\(XEN\)\s*(?:\[\s*([0-9.]+)\]\s*)?DOM(\d+):))\s*(.*?)\s*$")


def guest_lines(text):
    """(domid, xen timestamp or None, content) for every guest console line."""
    for raw in text.splitlines():
        m = LINE.search(raw.replace("\r", ""))
        if m:
            dom = int(m.group(1) or m.group(3))
            ts = float(m.group(2)) if m.group(2) else None
            yield dom, ts, m.group(4)


def bench_lines(text):
    """{domid: {(bench, metric): dict}} from the guests' BENCH lines."""
    res = {}
    for dom, _, s in guest_lines(text):
        if not s.startswith("BENCH "):
            continue
        parts = s.split()
        if len(parts) < 4:
            continue
        kv = dict(p.split("=", 1) for p in parts[3:] if "=" in p)
        res.setdefault(dom, {})[(parts[1], parts[2])] = kv
    return res


def ns(kv, field):
    return float(kv[field]) * 1e9 / float(kv["freq"])


def boot_figures(clock, system, text, markers, ms):
    figs = {}
    if clock == "wall":
        for mk, v in zip(markers, ms):
            if v != "MISSING":
                figs[mk.split("role=")[1]] = float(v)
    else:
        cntvoff = {int(m.group(1)): int(m.group(2)) for m in
                   re.finditer(r"keel: d(\d+) \([^)]*\): overhead: .*cntvoff (\d+)", text)}
        if system == "native":
            m = re.search(r"GUEST-READY role=native cntvct=(\d+) cntfrq=(\d+)", text)
            if m:
                figs["native"] = int(m.group(1)) * 1e3 / int(m.group(2))
        for dom, ts, s in guest_lines(text):
            m = re.match(r"GUEST-READY role=(\S+) cntvct=(\d+) cntfrq=(\d+)", s)
            if not m:
                continue
            if system == "keel" and dom in cntvoff:
                figs[m.group(1)] = (int(m.group(2)) + cntvoff[dom]) * 1e3 / int(m.group(3))
            elif system.startswith("xen") and ts is not None:
                figs[m.group(1)] = ts * 1e3
    want = ["native"] if system == "native" else [m.split("role=")[1] for m in markers]
    if not all(w in figs for w in want):
        return None
    out = {k: figs[k] for k in want if k != "native"}
    out["first"] = min(figs[k] for k in want)
    return out


def dom0_figures(clock, text, ms):
    """dom0 boot. wall: ms from QEMU start to dom0's first userspace line (DOM0-READY) and to
    the end of its toolstack start (DOM0-DONE); icount: dom0's own uptime at those lines
    (emulated time since dom0's kernel started its clock; the hypervisor's boot is not in it)."""
    if clock == "wall":
        if len(ms) < 2 or "MISSING" in ms[:2]:
            return None
        return {"userspace": float(ms[0]), "toolstack": float(ms[1])}
    r = re.search(r"DOM0-READY role=dom0 .*uptime=([0-9.]+)", text)
    d = re.search(r"DOM0-DONE role=dom0 uptime=([0-9.]+)", text)
    if not (r and d):
        return None
    return {"userspace_uptime": float(r.group(1)) * 1e3, "toolstack_uptime": float(d.group(1)) * 1e3}


def micro_figures(bench, variant, text):
    b = bench_lines(text)
    try:
        if bench == "hypercall":
            return {"per_call": float(b[1][("hypercall", "per_call_ns")]["value"])}
        if bench == "evtchn":
            kv = b[1][("evtchn", "round_trip")]
            return {"round_trip_median": ns(kv, "median"), "round_trip_p99": ns(kv, "p99")}
        if bench == "timer":
            kv = b[1][("timer", "latency")]
            return {"latency_median": ns(kv, "median"), "latency_p99": ns(kv, "p99"),
                    "latency_max": ns(kv, "max")}
        if bench == "switch":
            ga, ra = b[1][("switch", "gap")], b[1][("switch", "run")]
            gb, rb = b[2][("switch", "gap")], b[2][("switch", "run")]
            cost = ((ns(ga, "median") - ns(rb, "median")) / 2 + (ns(gb, "median") - ns(ra, "median")) / 2) / 2
            return {"per_switch": cost, "slice_a": ns(ra, "median"), "slice_b": ns(rb, "median")}
        if bench == "grant":
            return {"copy_MiB_s": float(b[2][("grant", "copy")]["value"]),
                    "map_unmap_per_s": float(b[2][("grant", "map_unmap_rate")]["value"]),
                    "map_unmap_median": ns(b[2][("grant", "map_unmap")], "median")}
    except (KeyError, ZeroDivisionError, ValueError):
        return None
    return None


UNITS = {"boot": "ms", "dom0": "ms", "copy_MiB_s": "MiB/s", "map_unmap_per_s": "ops/s"}
HIGHER_IS_BETTER = {"copy_MiB_s", "map_unmap_per_s"}

# (bench, variant, metric, rule) — rule: ("xen", k) keel <= k x Xen ; ("xen<", 1) keel < Xen;
# ("native", k) keel <= k x native.
TARGETS = [
    ("boot", "1domu", "first", "native", 1.05), ("boot", "1domu", "first", "xen<", 1.0),
    ("boot", "2domu", "first", "xen<", 1.0),
    ("hypercall", "hypercall", "per_call", "xen", 0.7),
    ("evtchn", "evtchn-cross", "round_trip_median", "xen", 0.7),
    ("evtchn", "evtchn-same", "round_trip_median", "xen", 0.7),
    ("timer", "timer-alone", "latency_p99", "xen", 0.7),
    ("timer", "timer-busy", "latency_p99", "xen", 0.7),
    ("timer", "timer-busy", "latency_max", "xen", 1.0),
    ("switch", "switch", "per_switch", "xen", 0.7),
]


def main():
    meta = {}
    if os.path.exists(f"{OUT}/meta.json"):
        with open(f"{OUT}/meta.json") as f:
            meta = json.load(f)
    runs = []
    with open(f"{OUT}/runs.tsv") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(head, line.rstrip("\n").split("\t")))
            try:
                with open(f"{OUT}/{row['log']}", errors="replace") as lf:
                    text = lf.read()
            except OSError:
                text = ""
            markers = row["markers"].split("|")
            ms = row["ms"].split()
            if row["bench"] == "boot":
                figs = boot_figures(row["clock"], row["system"], text, markers, ms)
            elif row["bench"] == "dom0":
                figs = dom0_figures(row["clock"], text, ms)
            else:
                figs = micro_figures(row["bench"], row["variant"], text)
                if figs is not None and "MISSING" in ms:
                    figs = None
            runs.append({"round": int(row["round"]), "clock": row["clock"], "bench": row["bench"],
                         "variant": row["variant"], "system": row["system"], "log": row["log"],
                         "wall_ms_to_markers": dict(zip(markers, ms)),
                         "ok": figs is not None, "figures": figs or {}})

    # summary[clock][bench][variant][metric][system] = {n, min, median, max, values}
    summary = {}
    for r in runs:
        for metric, v in r["figures"].items():
            s = summary.setdefault(r["clock"], {}).setdefault(r["bench"], {}).setdefault(
                r["variant"], {}).setdefault(metric, {}).setdefault(r["system"], {"values": []})
            s["values"].append(v)
    for clock in summary.values():
        boot = clock.get("boot", {})
        nat = boot.get("1domu", {}).get("first", {}).get("native")
        if nat and "2domu" in boot:  # the 2-domU boot is compared with the same native runs
            boot["2domu"].setdefault("first", {})["native"] = nat
        for bench in clock.values():
            for variant in bench.values():
                for metric, systems in variant.items():
                    for s in systems.values():
                        vals = s["values"]
                        s.update(n=len(vals), min=min(vals), median=statistics.median(vals), max=max(vals))
                    k = systems.get("keel")
                    for other in ("xen", "xen-scrub", "native"):
                        o = systems.get(other)
                        if k and o and o["median"]:
                            k[f"ratio_{other}"] = k["median"] / o["median"]

    targets = []
    for clock_name, clock in summary.items():
        for bench, variant, metric, rule, k in TARGETS:
            systems = clock.get(bench, {}).get(variant, {}).get(metric, {})
            keel = systems.get("keel")
            ref = systems.get("native" if rule == "native" else "xen")
            t = {"clock": clock_name, "bench": bench, "variant": variant, "metric": metric,
                 "target": (f"<= {k} x native" if rule == "native" else
                            "< Xen" if rule == "xen<" else f"<= {k} x Xen")}
            if keel and ref:
                ratio = keel["median"] / ref["median"]
                t["ratio"] = ratio
                t["met"] = ratio < 1.0 if rule == "xen<" else ratio <= k
            else:
                t["met"] = None
            targets.append(t)

    memory = {}
    if os.path.exists(f"{OUT}/memory.txt"):
        with open(f"{OUT}/memory.txt") as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                if len(p) == 3:
                    memory[p[0]] = {"value": int(p[1]) if p[1].isdigit() else p[1], "unit": p[2]}

    results = {"meta": meta, "runs": runs, "summary": summary, "targets": targets, "memory": memory}
    with open(f"{OUT}/results.json", "w") as f:
        json.dump(results, f, indent=1)

    # ---- the text table ----
    out = []
    w = out.append
    w(f"keel bench — {meta.get('started', '?')}, {meta.get('rounds', '?')} interleaved rounds, "
      f"{meta.get('elapsed_s', '?')} s of QEMU runs{' (QUICK: not figures)' if meta.get('quick') else ''}")
    w(f"QEMU: {meta.get('qemu', '?')}; {meta.get('qemu_flags', '?')}; icount: {meta.get('icount_flags', '?')}")
    w(f"kernel: {meta.get('kernel_package', '?')}; Xen: {meta.get('xen_package', '?')}; keel {meta.get('keel_commit', '?')}")
    failed = [r for r in runs if not r["ok"]]
    w(f"runs: {len(runs)}, failed: {len(failed)}" +
      (" (" + ", ".join(f"{r['log']}" for r in failed[:8]) + (" …" if len(failed) > 8 else "") + ")" if failed else ""))
    for clock_name in ("wall", "icount"):
        if clock_name not in summary:
            continue
        clock = summary[clock_name]
        unit_note = ("wall clock" if clock_name == "wall" else
                     "QEMU -icount shift=0,sleep=off: ns of emulated time = instructions")
        w("")
        w(f"== {clock_name} ({unit_note}) ==")
        w(f"{'benchmark':<14} {'metric':<18} {'system':<10} {'n':>2} {'min':>11} {'median':>11} {'max':>11}"
          f" {'unit':<6} {'keel/Xen':>8} {'keel/nat':>8}")
        for bench in ("boot", "dom0", "hypercall", "evtchn", "timer", "switch", "grant"):
            for variant, metrics in clock.get(bench, {}).items():
                for metric, systems in metrics.items():
                    if metric.startswith("slice_"):
                        continue
                    unit = UNITS.get(metric, UNITS.get(bench, "ns"))
                    for sysname in ("keel", "xen", "xen-scrub", "native"):
                        s = systems.get(sysname)
                        if not s:
                            continue
                        rx = f"{s['ratio_xen']:.2f}" if "ratio_xen" in s else ""
                        rn = f"{s['ratio_native']:.2f}" if "ratio_native" in s else ""
                        label = "Xen" if sysname == "xen" else "Xen scrub" if sysname == "xen-scrub" else sysname
                        if sysname == "xen" and bench == "boot":
                            label = "Xen nosc"
                        w(f"{variant:<14} {metric:<18} {label:<10} {s['n']:>2} {s['min']:>11.1f} {s['median']:>11.1f}"
                          f" {s['max']:>11.1f} {unit:<6} {rx:>8} {rn:>8}")
        w("")
        w(f"targets ({clock_name}):")
        for t in targets:
            if t["clock"] != clock_name:
                continue
            st = "n/a" if t["met"] is None else "MET" if t["met"] else "MISSED"
            ratio = f"{t['ratio']:.2f}" if "ratio" in t else "-"
            w(f"  {t['variant']:<14} {t['metric']:<18} {t['target']:<18} ratio {ratio:>6}  {st}")
    if memory:
        w("")
        w("== memory and TCB ==")
        for k, v in memory.items():
            w(f"  {k:<26} {v['value']} {v['unit']}")
    text = "\n".join(out) + "\n"
    with open(f"{OUT}/results.txt", "w") as f:
        f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
