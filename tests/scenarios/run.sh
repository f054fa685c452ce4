#!/usr/bin/env bash
# tests/scenarios/run.sh — the one QEMU scenario runner.
# Each tests/scenarios/<name>/scenario file (bash) describes a boot: machine flags,
# keel command line, how keel is loaded, the lines expected on the serial console,
# and a time limit. Every QEMU run is bounded by `timeout`; its serial log is kept
# in build/logs/<name>.log and its tail printed on failure. Two run at a time.
# Usage: tests/scenarios/run.sh [name-glob...]     Env: BUILD (default build)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
[[ $BUILD = /* ]] || BUILD=$ROOT/$BUILD
LOGS=$BUILD/logs
mkdir -p "$LOGS"
export ROOT BUILD LOGS

if [[ ${1:-} == --one ]]; then
    # ---- run one scenario (called by the parallel driver below)
    name=$2
    dir=$ROOT/tests/scenarios/$name
    SMP=2 CPU=cortex-a57 MEM=1G APPEND="" LIMIT=60 BOOT=kernel DTB="" EXIT=marker
    EXPECT=() FORBID=("PANIC" "^not ok " "FATAL")
    # shellcheck disable=SC1090
    source "$dir/scenario"
    log=$LOGS/$name.log
    machine=(-machine virt,virtualization=on,gic-version=3 -cpu "$CPU" -smp "$SMP" -m "$MEM"
             -nographic -monitor none -serial stdio)
    case $BOOT in
        kernel) boot=(-kernel "$BUILD/keel.bin") ;;
        stub)   # a bootloader of our own hands keel the DTB (tests/scenarios/boot-stub)
            boot=(-device "loader,file=$BUILD/boot-stub.bin,addr=0x40100000,force-raw=on"
                  -device "loader,file=$BUILD/keel.bin,addr=0x40200000,force-raw=on"
                  -device "loader,file=$DTB,addr=0x48000000,force-raw=on"
                  -device "loader,addr=0x40100000,cpu-num=0") ;;
        *) echo "bad BOOT=$BOOT" >&2; exit 2 ;;
    esac
    [[ -n $APPEND ]] && boot+=(-append "$APPEND")
    echo "# $(printf '%q ' qemu-system-aarch64 "${machine[@]}" "${boot[@]}")" > "$log"
    start=${EPOCHREALTIME/./}
    timeout -k 5 "$LIMIT" qemu-system-aarch64 "${machine[@]}" "${boot[@]}" < /dev/null >> "$log" 2>&1 &
    qpid=$!
    verdict=""
    while kill -0 "$qpid" 2>/dev/null; do
        for f in "${FORBID[@]}"; do
            if grep -qE -- "$f" "$log"; then
                skip=0
                for e in "${EXPECT[@]}"; do [[ $e == *"$f"* ]] && skip=1; done
                ((skip)) || { verdict="forbidden line /$f/"; break 2; }
            fi
        done
        if [[ $EXIT == marker ]]; then
            all=1
            for e in "${EXPECT[@]}"; do grep -qE -- "$e" "$log" || { all=0; break; }; done
            ((all)) && break
        fi
        sleep 0.2
    done
    secs=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
    if kill -0 "$qpid" 2>/dev/null; then kill -TERM "$qpid" 2>/dev/null; sleep 0.3; fi
    wait "$qpid"; rc=$?
    if [[ -z $verdict ]]; then
        for e in "${EXPECT[@]}"; do grep -qE -- "$e" "$log" || { verdict="missing /$e/"; break; }; done
    fi
    if [[ -z $verdict ]]; then
        for f in "${FORBID[@]}"; do
            skip=0; for e in "${EXPECT[@]}"; do [[ $e == *"$f"* ]] && skip=1; done
            ((skip)) || ! grep -qE -- "$f" "$log" || { verdict="forbidden line /$f/"; break; }
        done
    fi
    if [[ -z $verdict && $EXIT == poweroff && $rc -ne 0 ]]; then
        verdict="QEMU did not power off by itself (rc=$rc, limit ${LIMIT}s)"
    fi
    if [[ -z $verdict ]]; then
        echo "PASS $name (${secs} ms)" | tee "$LOGS/$name.result"
    else
        { echo "FAIL $name (${secs} ms): $verdict — log: $log"; tail -n 25 "$log" | sed 's/^/    | /'; } |
            tee "$LOGS/$name.result"
    fi
    exit 0
fi

# ---- driver: prerequisites once, then every scenario, two at a time
"$ROOT/tests/scenarios/prepare.sh" || { echo "scenarios: preparation failed"; exit 1; }
names=()
for d in "$ROOT"/tests/scenarios/*/; do
    n=$(basename "$d")
    [[ -f $d/scenario ]] || continue
    if (($#)); then
        m=0; for g in "$@"; do [[ $n == $g ]] && m=1; done; ((m)) || continue
    fi
    names+=("$n"); rm -f "$LOGS/$n.result"
done
printf '%s\n' "${names[@]}" | xargs -P 2 -I{} "$0" --one {}
pass=0; fail=0
for n in "${names[@]}"; do
    if grep -q '^PASS' "$LOGS/$n.result" 2>/dev/null; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "scenarios: $pass passed, $fail failed" | tee "$LOGS/summary.txt"
[[ $fail -eq 0 ]]
