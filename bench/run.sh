#!/usr/bin/env bash
# bench/run.sh — `make bench`: every benchmark of issue [bench] on keel, on real Xen 4.17
# (Debian's xen-hypervisor-4.17-arm64) and, for the boot, on bare QEMU: the same QEMU,
# machine flags, kernel, initramfs and DTB, INTERLEAVED (keel, Xen, native, keel, …) in
# rounds, each round on both clocks (wall; QEMU -icount shift=0,sleep=off, where the
# guest's CNTVCT counts emulated instructions). Every QEMU run is bounded by `timeout`
# and its log kept in OUT/logs/. Then bench/memory.sh and tools/tcb.sh, and
# bench/report.py writes OUT/results.json and OUT/results.txt.
#
# -b dom0: Debian's Linux as dom0 with
# toolstack/'s initramfs (Debian's Xen 4.17 tools), keel vs Xen: QEMU start to dom0's first
# userspace line (DOM0-READY) and to the end of its toolstack start (xenstored, xen-init-dom0,
# xenconsoled, xl info, xl list: DOM0-DONE); under icount, dom0's own uptime at those lines.
# Usage: bench/run.sh [-r ROUNDS] [-c wall,icount] [-b boot,hypercall,evtchn,timer,switch,grant,dom0]
#                     [-s keel,xen,xen-scrub,native] [--quick] [--report-only]
#   -s: only these systems (e.g. -s xen: the reference alone, before keel can run a benchmark).
#   env BUILD (default build: keel.bin and the bench guest from `make BUILD=… image`),
#   OUT (default $BUILD/bench). --quick: tiny iteration counts (a harness check, not figures).
set -euo pipefail
# Any command that fails names itself (fetches, DTBs, the initramfs build).
trap 'echo "bench: failed (exit $?): $BASH_COMMAND" >&2' ERR
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
OUT=${OUT:-$ROOT/$BUILD/bench}
rounds=5 clocks="wall,icount" benches="boot,dom0,hypercall,evtchn,timer,switch,grant" quick=0 report_only=0
systems="keel,xen,xen-scrub,native"
while (($#)); do
    case $1 in
        -r) rounds=$2; shift 2 ;;
        -c) clocks=$2; shift 2 ;;
        -b) benches=$2; shift 2 ;;
        -s) systems=$2; shift 2 ;;
        --quick) quick=1; shift ;;
        --report-only) report_only=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
mkdir -p "$OUT/logs"
want() { [[ ,$benches, == *,$1,* ]]; }
want_sys() { [[ ,$systems, == *,$1,* ]]; }

if ((report_only)); then
    exec python3 "$ROOT/bench/report.py" "$OUT"
fi

# ---- inputs ----------------------------------------------------------------------------
tools/step.sh "bench: the Debian guest (tools/fetch-guest.sh)" "$OUT/logs/fetch-guest.log" -- \
    tools/fetch-guest.sh --quiet
KERNEL=$(sed -n 's/^kernel //p' "$OUT/logs/fetch-guest.log")
fetch_xen
build_bench_initrd
KEEL=$ROOT/$BUILD/keel.bin
GUEST=$ROOT/$BUILD/arm64/guests/bench.bin
[[ -f $KEEL ]] || { echo "bench: $KEEL missing (make BUILD=$BUILD image)" >&2; exit 2; }
if [[ ! -f $GUEST ]]; then
    echo "bench: $GUEST missing: benchmarks 2-6 skipped" >&2
    benches=$(tr , '\n' <<< "$benches" | grep -xE 'boot|dom0' | paste -sd, || true)
fi
kpkg=$(basename "$(dirname "$(dirname "$(ls "$CACHE"/x/linux-image-*-arm64/boot/vmlinuz-* | head -1)")")")
kdeb=$(ls "$CACHE"/debs/"$kpkg"_*_arm64.deb 2>/dev/null | head -1 | sed -E 's/.*_(.*)_arm64\.deb/\1/')
started=$(date -u +%FT%TZ)

# ---- configurations --------------------------------------------------------------------
# Boot: the Debian kernel + bench/init (marker with CNTVCT), 256 MiB and 2 vCPUs per domU;
# native: the same kernel with mem=256M and both CPUs. keel gets the bootscrub=0 DTB
# (keel has no boot scrub); Xen runs with both.
dargs="console=ttyAMA0 earlycon=pl011,0x22000000 rdinit=/init"
# Under -icount Xen 4.17 hangs in boot with 2 CPUs (after "P2M: 4 levels", QEMU 7.2), so
# the icount clock runs everything on one CPU: -smp 1, one vCPU per domU.
if want boot; then
    for n in 1 2; do
        for clock in ${clocks//,/ }; do
            smp=2; [[ $clock == icount ]] && smp=1
            doms=(); for i in $(seq 1 $n); do
                doms+=(--domain "domU$i" --memory 262144 --cpus $smp --kernel "$KERNEL" --ramdisk "$BENCH_INITRD"
                       --bootargs "$dargs keel.role=domu$i")
            done
            make_dtb "boot$n-noscrub-$clock" $smp "$XEN_ARGS bootscrub=0" "${doms[@]}"
            make_dtb "boot$n-scrub-$clock" $smp "$XEN_ARGS" "${doms[@]}"
        done
    done
fi

# dom0 boot: dom0_mem=768M, dom0_max_vcpus=2 on -smp 2 -m 2G (icount: 1 and 1, see above),
# the virtio-blk disk and virtio-net NIC the dom0 scenarios use (tests/scenarios/dom0-lib.sh).
if want dom0; then
    KEEL_FETCH_GUEST=$(cat "$OUT/logs/fetch-guest.log") \
        tools/step.sh "bench: dom0's initramfs (toolstack/make-dom0-initramfs.sh)" "$OUT/logs/dom0-initramfs.log" -- \
        toolstack/make-dom0-initramfs.sh --quiet
    DOM0_INITRD=$(sed -n 's/^initrd //p' "$OUT/logs/dom0-initramfs.log")
    DOM0_DISK=$OUT/dom0-disk.img
    head -c 4194304 < <(yes 'keel dom0 virtio-blk test disk') > "$DOM0_DISK"
    dom0_sha=$(sha256sum "$DOM0_DISK" | cut -c1-64)
    DOM0_QEMU=(-m 2G -drive "if=none,id=d0,format=raw,readonly=on,file=$DOM0_DISK" -device virtio-blk-device,drive=d0
               -netdev user,id=n0,restrict=on -device virtio-net-device,netdev=n0)
    for clock in ${clocks//,/ }; do
        smp=2; [[ $clock == icount ]] && smp=1
        mkdir -p "$OUT/dtbs"
        tools/make-dom0less-dtb.sh -o "$OUT/dtbs/dom0-$clock.dtb" -q "$QEMU_BASE -smp $smp -m 2G" \
            -b "$XEN_ARGS dom0_mem=768M dom0_max_vcpus=$smp bootscrub=0 keel.exit_when_idle" \
            --dom0-kernel "$KERNEL" --dom0-ramdisk "$DOM0_INITRD" \
            --dom0-bootargs "console=hvc0 earlycon=xenboot rdinit=/init keel.action=poweroff keel.disk_sha256=$dom0_sha" \
            > "$OUT/dtbs/dom0-$clock.loaders"
    done
fi

# Benchmarks 2-6: part E's guest (guests/bench), 64 MiB and 1 vCPU per domain. One DTB per
# configuration and clock, shared by keel and Xen. Only the two-domain benchmarks that talk
# (evtchn, grant) boot Xen with xsm=dummy: Xen 4.17's default XSM policy (SILO) refuses event
# channels and grants between two domUs (xsm=dummy costs Xen a 3 s warning countdown at boot,
# outside every figure). icount: -smp 1 (see above), so evtchn-cross is wall-clock only.
declare -A M_SMP=() M_MARK=() M_CLOCKS=()
M_ORDER=()
micro() {  # micro NAME SMP XEN-EXTRA "MARKER|MARKER" "bootargs d1" ["bootargs d2"]
    local name=$1 smp=$2 xextra=$3 marks=$4; shift 4
    local doms=() i=1 a clock s
    for a in "$@"; do
        doms+=(--domain "domU$i" --memory 65536 --cpus 1 --kernel "$GUEST" --bootargs "$a"); i=$((i + 1))
    done
    M_CLOCKS[$name]=""
    for clock in ${clocks//,/ }; do
        s=$smp; [[ $clock == icount ]] && s=1
        [[ $clock == icount && $smp != 1 && $name == evtchn-cross ]] && continue
        make_dtb "$name-$clock" "$s" "$XEN_ARGS bootscrub=0${xextra:+ $xextra} keel.exit_when_idle" "${doms[@]}"
        M_CLOCKS[$name]+=" $clock"
    done
    M_SMP[$name]=$smp M_MARK[$name]=$marks
    M_ORDER+=("$name")
}
if ((quick)); then
    HC=1000 EV=100 TI=100 TB=100 SW=1 GP=4 GI=4
else
    HC=100000 EV=10000 TI=10000 TB=300 SW=1 GP=64 GI=50
fi
want hypercall && micro hypercall 2 "" "BENCH-DONE hypercall" "bench=hypercall iters=$HC"
if want evtchn; then
    for v in cross:2 same:1; do
        micro "evtchn-${v%%:*}" "${v##*:}" xsm=dummy "BENCH-DONE evtchn role=a|BENCH-DONE evtchn role=b" \
            "bench=evtchn role=a peer=2 iters=$EV" "bench=evtchn role=b peer=1 iters=$EV"
    done
fi
if want timer; then
    micro timer-alone 1 "" "BENCH-DONE timer" "bench=timer iters=$TI"
    # With a spinning neighbour every emulated ns is an instruction under icount (no idle
    # time to skip), and Xen's latencies are long (~10 ms): 3·10^2 deadlines, not 10^4 (p99 is then the 3rd-highest sample).
    micro timer-busy 1 "" "BENCH-DONE timer" "bench=timer iters=$TB" "bench=busy seconds=60"
fi
want switch && micro switch 1 "" "BENCH-DONE switch role=a|BENCH-DONE switch role=b" \
    "bench=switch role=a seconds=$SW" "bench=switch role=b seconds=$SW"
want grant && micro grant 2 xsm=dummy "BENCH-DONE grant role=b" \
    "bench=grant role=a peer=2 pages=$GP iters=$GI" "bench=grant role=b peer=1 pages=$GP iters=$GI"

# ---- the interleaved rounds --------------------------------------------------------------
RUNS=$OUT/runs.tsv
printf 'round\tclock\tbench\tvariant\tsystem\tlog\tmarkers\tms\n' > "$RUNS"
record() {  # record ROUND CLOCK BENCH VARIANT SYSTEM LOG "MARKERS" "MS"
    local IFS=$'\t'; echo "$*" >> "$RUNS"
    printf '  %-6s %-6s %-14s %-10s %s\n' "$2" "$3" "$4" "$5" "$8" >&2
}
loaders() { mapfile -t LOADERS < "$OUT/dtbs/$1.loaders"; }

t_start=$SECONDS
for r in $(seq 1 "$rounds"); do
    echo "bench: round $r of $rounds ($((SECONDS - t_start)) s)" >&2
    for clock in ${clocks//,/ }; do
        lim=$([[ $clock == icount ]] && echo 400 || echo 240)
        smp=2; [[ $clock == icount ]] && smp=1
        if want boot; then
            for n in 1 2; do
                marks=("GUEST-READY role=domu1"); ((n == 2)) && marks+=("GUEST-READY role=domu2")
                for sys in keel xen xen-scrub native; do
                    [[ $sys == native && $n == 2 ]] && continue
                    want_sys "$sys" || continue
                    log=$OUT/logs/r$r-$clock-boot$n-$sys.log
                    case $sys in
                        keel) loaders "boot$n-noscrub-$clock"
                              ms=$(run_qemu "$log" "$clock" "$lim" $smp "${marks[@]}" -- -kernel "$KEEL" \
                                   -dtb "$OUT/dtbs/boot$n-noscrub-$clock.dtb" "${LOADERS[@]}") ;;
                        xen)  loaders "boot$n-noscrub-$clock"
                              ms=$(run_qemu "$log" "$clock" "$lim" $smp "${marks[@]}" -- -kernel "$XEN" \
                                   -dtb "$OUT/dtbs/boot$n-noscrub-$clock.dtb" "${LOADERS[@]}") ;;
                        xen-scrub) loaders "boot$n-scrub-$clock"
                              ms=$(run_qemu "$log" "$clock" "$lim" $smp "${marks[@]}" -- -kernel "$XEN" \
                                   -dtb "$OUT/dtbs/boot$n-scrub-$clock.dtb" "${LOADERS[@]}") ;;
                        native) ms=$(run_qemu "$log" "$clock" "$lim" $smp "GUEST-READY role=native" -- \
                                   -kernel "$KERNEL" -initrd "$BENCH_INITRD" \
                                   -append "console=ttyAMA0 rdinit=/init mem=256M keel.role=native") ;;
                    esac
                    mk=$(IFS='|'; echo "${marks[*]}"); [[ $sys == native ]] && mk="GUEST-READY role=native"
                    record "$r" "$clock" boot "${n}domu" "$sys" "${log#"$OUT"/}" "$mk" "$ms"
                done
            done
        fi
        if want dom0; then
            for sys in keel xen; do
                want_sys "$sys" || continue
                log=$OUT/logs/r$r-$clock-dom0-$sys.log
                hv=$KEEL; [[ $sys == xen ]] && hv=$XEN
                loaders "dom0-$clock"
                ms=$(run_qemu "$log" "$clock" $((lim + 200)) $smp "DOM0-READY role=dom0" "DOM0-DONE role=dom0" -- \
                     -kernel "$hv" -dtb "$OUT/dtbs/dom0-$clock.dtb" "${LOADERS[@]}" "${DOM0_QEMU[@]}")
                record "$r" "$clock" dom0 dom0 "$sys" "${log#"$OUT"/}" "DOM0-READY role=dom0|DOM0-DONE role=dom0" "$ms"
            done
        fi
        for name in "${M_ORDER[@]}"; do
            [[ " ${M_CLOCKS[$name]} " == *" $clock "* ]] || continue
            IFS='|' read -ra marks <<< "${M_MARK[$name]}"
            loaders "$name-$clock"
            msmp=${M_SMP[$name]}; [[ $clock == icount ]] && msmp=1
            for sys in keel xen; do
                want_sys "$sys" || continue
                log=$OUT/logs/r$r-$clock-$name-$sys.log
                hv=$KEEL; [[ $sys == xen ]] && hv=$XEN
                ms=$(run_qemu "$log" "$clock" "$lim" "$msmp" "${marks[@]}" -- -kernel "$hv" \
                     -dtb "$OUT/dtbs/$name-$clock.dtb" "${LOADERS[@]}")
                record "$r" "$clock" "${name%%-*}" "$name" "$sys" "${log#"$OUT"/}" "${M_MARK[$name]}" "$ms"
            done
        done
    done
done
elapsed=$((SECONDS - t_start))

# ---- memory, TCB, report -----------------------------------------------------------------
cat > "$OUT/meta.json" <<EOF
{"started": "$started", "elapsed_s": $elapsed, "rounds": $rounds, "clocks": "$clocks",
 "benches": "$benches", "quick": $quick,
 "qemu": "$(qemu-system-aarch64 --version | head -1)",
 "qemu_flags": "$QEMU_BASE -smp N -nographic -monitor none -serial stdio", "icount_flags": "$ICOUNT",
 "kernel_package": "$kpkg $kdeb", "xen_package": "xen-hypervisor-4.17-arm64 $XEN_DEB_VERSION",
 "xen_bootargs": "$XEN_ARGS bootscrub=0 (+ default scrub for boot; + xsm=dummy for evtchn, grant)",
 "smp": "wall: -smp 2 (boot, hypercall, evtchn-cross, grant), -smp 1 (evtchn-same, timer, switch); icount: -smp 1 for all",
 "keel_commit": "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo +dirty)",
 "host": "$(nproc) CPUs, $(uname -m)"}
EOF
BUILD=$BUILD OUT=$OUT "$ROOT/bench/memory.sh" > "$OUT/memory.txt"
python3 "$ROOT/bench/report.py" "$OUT"
echo "bench: done in $elapsed s of runs; $OUT/results.txt, $OUT/results.json" >&2
