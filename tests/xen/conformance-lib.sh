#!/usr/bin/env bash
# tests/xen/conformance-lib.sh — shared by tools/record-xen-conformance.sh and the
# scenario tests/scenarios/xen-conformance (sourced, bash):
#   conformance_extract LOG   the conformance guest's lines from a serial log, as
#       the guest printed them: Xen's "(XEN) DOM1: " and keel's "(d1) " prefixes
#       stripped, CRs dropped, from CONFORMANCE-BEGIN to CONFORMANCE-DONE inclusive;
#       any other console line (Xen's or keel's own messages) is left out.
#   conformance_compare KEEL XEN ACCEPTED   prints every difference between two
#       transcripts that tests/xen/conformance.accepted does not list, one per line
#       ("keel: <line>" / "xen:  <line>"), and returns 1 if there was any.
# The accepted file: comment lines (#) and blank lines ignored; each entry is three
# lines — "keel: <the keel line>", "xen: <the Xen line>", "why: <the reason>" — where
# either side may be "keel: -" / "xen: -" for a line only one side prints.

conformance_extract() {
    tr -d '\r' < "$1" |
        grep -aE '^(\(XEN\) )?DOM1: |^\(d1\) ' |
        sed -E 's/^(\(XEN\) )?DOM1: //; s/^\(d1\) //' |
        awk '/^CONFORMANCE-BEGIN/ { on = 1 } on { print } /^CONFORMANCE-DONE/ { exit }'
}

conformance_compare() {
    local keel=$1 xen=$2 accepted=$3
    # The diff as pairs: lines only in keel's transcript ("<"), only in Xen's (">").
    local d
    d=$(diff --unchanged-line-format= --old-line-format='keel: %L' --new-line-format='xen:  %L' \
        <(grep -v '^#' "$keel") <(grep -v '^#' "$xen"))
    [[ -z $d ]] && return 0
    awk -v acc="$accepted" '
        BEGIN {
            while ((getline l < acc) > 0) {
                if (l ~ /^#/ || l ~ /^[ \t]*$/) continue
                if (l ~ /^keel: /) { k = substr(l, 7); continue }
                if (l ~ /^xen: /) { x = substr(l, 6); if (k != "-") okk[k] = 1; if (x != "-") okx[x] = 1; continue }
            }
        }
        /^keel: / { line = substr($0, 7); if (!(line in okk)) { print; bad = 1 } next }
        /^xen:  / { line = substr($0, 7); if (!(line in okx)) { print; bad = 1 } next }
        END { exit bad }' <<< "$d"
}
