#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tests/fuzz/classify.sh — says whose bug a failed libFuzzer run found, from its
# log (run.sh calls it; also usable on the log of a rerun of a reproducer).
# Prints one line:
#   <harness>: KEEL BUG|HARNESS BUG: <what> at <file:line> [(called from ...)]; reproducer <path>
# Rules, from the log's first report and its stack (frames of sanitizers,
# libFuzzer, libc, the panic machinery — lib/check.hpp, tests/unit/support/
# host_panic.cpp — and the copy helper lib/relaxed_copy.hpp are skipped):
#   - a sanitizer report (ASan, UBSan, a signal, a leak, a timeout, OOM): the
#     top frame in the project decides: under tests/fuzz/ a harness or fake is
#     wrong (HARNESS BUG), under hypervisor/ keel is (KEEL BUG);
#   - a keel KEEL_CHECK (`keel: PANIC` in hypervisor/): KEEL BUG;
#   - a check the harness makes of keel's behaviour (`invariant broken`, or a
#     KEEL_CHECK in a fake under tests/fuzz/support/ that guards what keel
#     hands it): KEEL BUG as the harness sees it — rule out a wrong check first.
# Usage: tests/fuzz/classify.sh <harness> <log> [root]
set -euo pipefail

name=$1
log=$2
root=${3:-$(cd "$(dirname "$0")/../.." && pwd)}

repro=$(grep -o 'Test unit written to .*' "$log" | tail -1 | sed 's/^Test unit written to //' || true)
[[ -n $repro ]] || repro="(none written; see $log)"

# The first report line: what happened.
what=$(grep -m1 -E 'invariant broken|keel: PANIC|ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error|ALARM: working on the last Unit|out-of-memory' "$log" ||
       echo "unknown failure")
what=$(sed -E "s/^==[0-9]+== ?//; s/^[[:space:]]+//; s|$root/||g" <<<"$what" | cut -c1-200)

# Project frames of the first stack, top first: "path:line" relative to root.
frames=$(awk -v root="$root/" '
    /^ *#[0-9]+ 0x/ { seen = 1
        for (i = 1; i <= NF; i++) if (index($i, root) == 1) { f = substr($i, length(root) + 1); sub(/:[0-9]+$/, "", f); print f; break }
        next }
    seen { exit }' "$log" |
    grep -v -E '^(hypervisor/lib/check\.hpp|tests/unit/support/host_panic\.cpp|hypervisor/lib/relaxed_copy\.hpp)' || true)
top=$(head -1 <<<"$frames")
caller=$(sed -n 2p <<<"$frames")

# A UBSan report names its place on the report line itself.
if [[ -z $top ]]; then
    top=$(grep -m1 -o -E "$root/[^ :]+:[0-9]+" "$log" | sed "s|^$root/||" || true)
fi
panic_at=$(grep -m1 -o -E 'keel: PANIC [^ ]+:[0-9]+' "$log" | sed "s/^keel: PANIC //; s|^$root/||" || true)

side() {
    case $1 in
    tests/fuzz/*) echo "HARNESS BUG" ;;
    hypervisor/*) echo "KEEL BUG" ;;
    *) echo "UNCLASSIFIED (no project frame)" ;;
    esac
}

if grep -q 'invariant broken' "$log"; then
    verdict="KEEL BUG (an invariant the harness checks; rule out a wrong check first)"
    at=$top
elif [[ -n $panic_at ]]; then
    at=$panic_at
    case $panic_at in
    hypervisor/*) verdict="KEEL BUG (a keel KEEL_CHECK)" ;;
    tests/fuzz/support/*) verdict="KEEL BUG (a fake's check of what keel handed it; rule out a wrong check first)" ;;
    *) verdict=$(side "$panic_at") ;;
    esac
else
    at=$top
    verdict=$(side "$top")
fi

line="$name: $verdict: $what at ${at:-?}"
[[ -n $caller && $caller != "$at" ]] && line+=" (called from $caller)"
echo "$line; reproducer $repro"
