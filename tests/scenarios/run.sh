#!/usr/bin/env bash
# tests/scenarios/run.sh — the one QEMU scenario runner.
# Each tests/scenarios/<name>/scenario file (bash) describes a boot: machine flags,
# keel command line, how keel is loaded, the lines expected on the serial console,
# and a time limit. Every QEMU run is bounded by `timeout`; its serial log is kept
# in build/logs/<name>.log and its tail printed on failure. Two run at a time.
# Usage: tests/scenarios/run.sh [name-glob...]     Env: BUILD (default build)
#
# BOOT=kernel (default): keel from -kernel with QEMU's own DTB, APPEND as its command line.
# BOOT=stub: tests/scenarios/boot-stub hands keel the blob in DTB.
# BOOT=dom0less: keel with a dom0less DTB (tools/make-dom0less-dtb.sh) holding one
#   "xen,domain" node per DOMAINS entry, "name:mem_kb:cpus:kernel:ramdisk:bootargs";
#   APPEND becomes /chosen "xen,xen-bootargs". kernel and ramdisk are @linux (the
#   Debian kernel / busybox initramfs of tools/fetch-guest.sh), @guest:<name>
#   ($BUILD/arm64/guests/<name>.bin), @zeros (64 KiB of zeros: no Image header),
#   @kernel (ramdisk only: a module overlapping the kernel), empty (none) or a path
#   relative to the tree. An empty mem_kb or cpus leaves the property out.
#   DOMAIN_OPTS[<name>]="..." adds make-dom0less-dtb.sh options for that domain
#   (--enhanced, --evtchn, --shm: Xen's bindings for PV interfaces and static links).
# BOOT=dom0: the same DTB plus a dom0 (booting.txt's dom0 modules under /chosen):
#   DOM0="kernel:ramdisk:bootargs" (kernel @linux, ramdisk @dom0 = the initramfs of
#   toolstack/make-dom0-initramfs.sh, Debian's Xen tools), DOMAINS (may be empty) the
#   dom0less domUs beside it. dom0_disk (call it in the scenario) writes a 4 MiB disk
#   image of a fixed pattern and sets DOM0_DISK and DOM0_DISK_SHA256.
# QEMU_EXTRA=(...) more QEMU arguments (a disk, a NIC: only -netdev user,restrict=on).
# HV=xen (env): boot Debian's Xen 4.17 (bench/lib.sh fetch_xen) instead of keel with the
#   same DTB and modules — the reference; logs and results get a "-xen" suffix, and
#   EXPECT_KEEL=(...) (lines only keel prints) is checked on keel only.
# PENDING="why": the scenario is skipped by a full run (see the driver below).
# <log>.times: milliseconds from QEMU start to the first match of each EXPECT line.
# A scenario may define check() (called with the log path after every other check
# passed); whatever it prints is a failure verdict.
# INPUT=("marker" "text" ...) types at the console: once /marker/ is in the log,
# `text` (printf %b escapes: \x01 is CTRL-a, \r Enter) goes to QEMU's serial input.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
[[ $BUILD = /* ]] || BUILD=$ROOT/$BUILD
LOGS=$BUILD/logs
mkdir -p "$LOGS"
HV=${HV:-keel}
case $HV in keel) SUFFIX="" ;; xen) SUFFIX=-xen ;; *) echo "bad HV=$HV (keel or xen)" >&2; exit 2 ;; esac
export ROOT BUILD LOGS HV SUFFIX

if [[ ${1:-} == --one ]]; then
    # ---- run one scenario (called by the parallel driver below)
    name=$2
    dir=$ROOT/tests/scenarios/$name
    SMP=2 CPU=cortex-a57 MEM=1G APPEND="" LIMIT=60 BOOT=kernel DTB="" EXIT=marker DOM0="" QEMU_EXTRA=() EXPECT_KEEL=()
    # Every scenario: no panic, no failed TAP line, and every domain-pool frame
    # back once the last domain has ended.
    EXPECT=() FORBID=("PANIC" "^not ok " "FATAL" "keel: warning: domain-pool free frames") INPUT=()
    declare -A DOMAIN_OPTS=()
    dom0_disk() {  # the dom0 scenarios' virtio-blk disk: 4 MiB of a fixed text pattern
        DOM0_DISK=$BUILD/scenario-files/dom0-disk.img
        if [[ ! -f $DOM0_DISK ]]; then
            mkdir -p "${DOM0_DISK%/*}"
            head -c 4194304 < <(yes 'keel dom0 virtio-blk test disk') > "$DOM0_DISK.$$" && mv "$DOM0_DISK.$$" "$DOM0_DISK"
        fi
        DOM0_DISK_SHA256=$(sha256sum "$DOM0_DISK" | cut -c1-64)
    }
    # shellcheck disable=SC1090
    source "$dir/scenario"
    [[ $HV == keel ]] && EXPECT+=("${EXPECT_KEEL[@]}")
    log=$LOGS/$name$SUFFIX.log
    fail_early() { echo "FAIL $name: $*" | tee "$LOGS/$name$SUFFIX.result"; exit 0; }
    fetched_linux=""
    resolve_module() {  # resolve_module SPEC kernel|ramdisk -> REPLY
        case $1 in
            "" | @kernel) REPLY=$1 ;;
            @linux)
                if [[ -z $fetched_linux ]]; then
                    fetched_linux=$("$ROOT/tools/fetch-guest.sh" --quiet) ||
                        fail_early "tools/fetch-guest.sh failed"
                fi
                REPLY=$(sed -n "s/^$([[ $2 == kernel ]] && echo kernel || echo initrd) //p" <<< "$fetched_linux") ;;
            @guest:*)
                REPLY=$BUILD/arm64/guests/${1#@guest:}.bin
                [[ -f $REPLY ]] || fail_early "test guest $REPLY missing (make image)" ;;
            @zeros)
                REPLY=$BUILD/scenario-files/zeros-64k.bin
                if [[ ! -f $REPLY ]]; then
                    mkdir -p "${REPLY%/*}"
                    head -c 65536 /dev/zero > "$REPLY.$$" && mv "$REPLY.$$" "$REPLY"
                fi ;;
            @dom0)
                resolve_module @linux kernel
                REPLY=$(KEEL_FETCH_GUEST=$fetched_linux "$ROOT/toolstack/make-dom0-initramfs.sh" --quiet \
                        2> "$LOGS/$name.dom0-initramfs.err") ||
                    fail_early "toolstack/make-dom0-initramfs.sh: $(tail -1 "$LOGS/$name.dom0-initramfs.err")"
                REPLY=$(sed -n 's/^initrd //p' <<< "$REPLY") ;;
            /*) REPLY=$1 ;;
            *) REPLY=$ROOT/$1 ;;
        esac
    }
    dom0less_dtb() {  # DOMAINS -> $BUILD/dtbs/<name>.dtb; sets dtb and loaders
        local spec f i dname mem cpus kernel ramdisk bargs
        local -a a=(-o "$BUILD/dtbs/$name.dtb" -q "${machine[*]:0:8}" -b "$APPEND")
        if [[ -n $DOM0 ]]; then  # kernel:ramdisk:bootargs (bootargs may hold colons)
            IFS=: read -r -a f <<< "$DOM0"
            resolve_module "${f[0]:-}" kernel; a+=(--dom0-kernel "$REPLY")
            resolve_module "${f[1]:-}" ramdisk; [[ -n $REPLY ]] && a+=(--dom0-ramdisk "$REPLY")
            bargs=$(IFS=:; echo "${f[*]:2}")
            [[ -n $bargs ]] && a+=(--dom0-bootargs "$bargs")
        fi
        for spec in ${DOMAINS[@]+"${DOMAINS[@]}"}; do
            IFS=: read -r -a f <<< "$spec"
            dname=${f[0]:-} mem=${f[1]:-} cpus=${f[2]:-} i=3
            kernel=${f[i]:-}; i=$((i + 1))
            [[ $kernel == @guest ]] && { kernel="@guest:${f[i]:-}"; i=$((i + 1)); }
            ramdisk=${f[i]:-}; i=$((i + 1))
            [[ $ramdisk == @guest ]] && { ramdisk="@guest:${f[i]:-}"; i=$((i + 1)); }
            bargs=$(IFS=:; echo "${f[*]:i}")
            a+=(--domain "$dname")
            [[ -n $mem ]] && a+=(--memory "$mem")
            [[ -n $cpus ]] && a+=(--cpus "$cpus")
            resolve_module "$kernel" kernel; a+=(--kernel "$REPLY")
            resolve_module "$ramdisk" ramdisk; a+=(--ramdisk "$REPLY")
            [[ -n $bargs ]] && a+=(--bootargs "$bargs")
            # DOMAIN_OPTS[<name>]: more make-dom0less-dtb.sh options for that domain
            # (--enhanced, --evtchn, --shm; words split on blanks).
            if [[ -n ${DOMAIN_OPTS[$dname]:-} ]]; then
                local -a extra
                read -r -a extra <<< "${DOMAIN_OPTS[$dname]}"
                a+=("${extra[@]}")
            fi
        done
        dtb=$BUILD/dtbs/$name.dtb
        local out
        out=$("$ROOT/tools/make-dom0less-dtb.sh" "${a[@]}" 2> "$LOGS/$name.dtb.err") ||
            fail_early "tools/make-dom0less-dtb.sh: $(tail -1 "$LOGS/$name.dtb.err")"
        mapfile -t loaders <<< "$out"
    }
    machine=(-machine virt,virtualization=on,gic-version=3 -cpu "$CPU" -smp "$SMP" -m "$MEM"
             -nic none -nographic -monitor none -serial stdio)
    image=$BUILD/keel.bin
    [[ $HV == xen ]] && image=${HV_IMAGE:?HV=xen without HV_IMAGE}
    case $BOOT in
        kernel) boot=(-kernel "$image") ;;
        stub)   # a bootloader of our own hands keel the DTB (tests/scenarios/boot-stub)
            boot=(-device "loader,file=$BUILD/boot-stub.bin,addr=0x40100000,force-raw=on"
                  -device "loader,file=$BUILD/keel.bin,addr=0x40200000,force-raw=on"
                  -device "loader,file=$DTB,addr=0x48000000,force-raw=on"
                  -device "loader,addr=0x40100000,cpu-num=0") ;;
        dom0less | dom0)  # keel with a Xen-style dom0less DTB (and a dom0) and its modules
            [[ $BOOT == dom0 && -z $DOM0 ]] && fail_early "BOOT=dom0 without DOM0"
            dom0less_dtb
            boot=(-kernel "$image" -dtb "$dtb" "${loaders[@]}") ;;
        *) echo "bad BOOT=$BOOT" >&2; exit 2 ;;
    esac
    [[ -n $APPEND && $BOOT != dom0less && $BOOT != dom0 ]] && boot+=(-append "$APPEND")
    boot+=(${QEMU_EXTRA[@]+"${QEMU_EXTRA[@]}"})
    echo "# $(printf '%q ' qemu-system-aarch64 "${machine[@]}" "${boot[@]}")" > "$log"
    start=${EPOCHREALTIME/./}
    stdin=/dev/null
    if ((${#INPUT[@]})); then stdin=$LOGS/$name.stdin; rm -f "$stdin"; mkfifo "$stdin"; fi
    timeout -k 5 "$LIMIT" qemu-system-aarch64 "${machine[@]}" "${boot[@]}" < "$stdin" >> "$log" 2>&1 &
    qpid=$!
    ((${#INPUT[@]})) && exec 3> "$stdin"  # held open: QEMU sees no end of input
    typed=0
    verdict=""
    declare -A seen_ms=()
    while kill -0 "$qpid" 2>/dev/null; do
        if ((typed < ${#INPUT[@]})) && grep -qE -- "${INPUT[typed]}" "$log"; then
            printf '%b' "${INPUT[typed + 1]}" >&3 2>/dev/null
            typed=$((typed + 2))
        fi
        for f in "${FORBID[@]}"; do
            if grep -qE -- "$f" "$log"; then
                skip=0
                for e in "${EXPECT[@]}"; do [[ $e == *"$f"* ]] && skip=1; done
                ((skip)) || { verdict="forbidden line /$f/"; break 2; }
            fi
        done
        all=1
        for e in "${EXPECT[@]}"; do
            [[ -n ${seen_ms[$e]:-} ]] && continue
            if grep -qE -- "$e" "$log"; then seen_ms[$e]=$(( (${EPOCHREALTIME/./} - start) / 1000 )); else all=0; fi
        done
        [[ $EXIT == marker ]] && ((all)) && break
        sleep 0.2
    done
    secs=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
    if kill -0 "$qpid" 2>/dev/null; then kill -TERM "$qpid" 2>/dev/null; sleep 0.3; fi
    wait "$qpid"; rc=$?
    if ((${#INPUT[@]})); then exec 3>&-; rm -f "$stdin"; fi
    if [[ -z $verdict ]]; then
        for e in "${EXPECT[@]}"; do grep -qE -- "$e" "$log" || { verdict="missing /$e/"; break; }; done
    fi
    if [[ -z $verdict ]]; then
        for f in "${FORBID[@]}"; do
            skip=0; for e in "${EXPECT[@]}"; do [[ $e == *"$f"* ]] && skip=1; done
            ((skip)) || ! grep -qE -- "$f" "$log" || { verdict="forbidden line /$f/"; break; }
        done
    fi
    if [[ -z $verdict ]] && declare -F check > /dev/null; then verdict=$(check "$log"); fi
    if [[ -z $verdict && $EXIT == poweroff && $rc -ne 0 ]]; then
        verdict="QEMU did not power off by itself (rc=$rc, limit ${LIMIT}s)"
    fi
    for e in "${EXPECT[@]}"; do printf '%s\t%s\n' "${seen_ms[$e]:-MISSING}" "$e"; done > "${log%.log}.times"
    if [[ -z $verdict ]]; then
        echo "PASS $name$SUFFIX (${secs} ms)" | tee "$LOGS/$name$SUFFIX.result"
    else
        { echo "FAIL $name$SUFFIX (${secs} ms): $verdict — log: $log"; tail -n 25 "$log" | sed 's/^/    | /'; } |
            tee "$LOGS/$name$SUFFIX.result"
    fi
    exit 0
fi

# ---- driver: prerequisites once, then every scenario, two at a time
# (prepare.sh names the failing step, its command and the first lines of its error)
if ! "$ROOT/tests/scenarios/prepare.sh"; then
    echo "scenarios: preparation failed (above: the step, its command and error)" |
        tee "$LOGS/summary.txt"
    exit 1
fi
# HV=xen: Debian's Xen 4.17 in the cache (bench/lib.sh), the same for every scenario.
if [[ $HV == xen ]]; then
    # shellcheck source=../../bench/lib.sh
    source "$ROOT/bench/lib.sh"
    fetch_xen
    export HV_IMAGE=$XEN
fi
names=() shared=() alone=()
for d in "$ROOT"/tests/scenarios/*/; do
    n=$(basename "$d")
    [[ -f $d/scenario ]] || continue
    if (($#)); then
        m=0; for g in "$@"; do [[ $n == $g ]] && m=1; done; ((m)) || continue
    fi
    # PENDING="why" in a scenario: left out of a full run (make test) until keel can
    # pass it; naming it runs it. Enabling it = deleting that line.
    if ((!$#)) && grep -q '^PENDING=' "$d/scenario"; then
        echo "SKIP $n: pending, $(sed -n 's/^PENDING=//p' "$d/scenario" | head -1)"
        continue
    fi
    names+=("$n"); rm -f "$LOGS/$n$SUFFIX.result"
    # EXCLUSIVE=1 in a scenario: it measures guest time against wall-clock-driven
    # counters, so it runs alone after the others (TCG on 2 host cores).
    if grep -q '^EXCLUSIVE=1' "$d/scenario"; then alone+=("$n"); else shared+=("$n"); fi
done
((${#shared[@]})) && printf '%s\n' "${shared[@]}" | xargs -P 2 -I{} "$0" --one {}
for n in "${alone[@]}"; do "$0" --one "$n"; done
pass=0; fail=0
for n in "${names[@]}"; do
    if grep -q '^PASS' "$LOGS/$n$SUFFIX.result" 2>/dev/null; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "scenarios: $pass passed, $fail failed" | tee "$LOGS/summary.txt"
[[ $fail -eq 0 ]]
