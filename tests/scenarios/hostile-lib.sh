# tests/scenarios/hostile-lib.sh — the [hostile] scenarios' frame accounting.
# hostile_check LOG: the domain pool before the first domain was built equals
# the pool after the last one ended (exact), and whenever a domain ends the pool
# holds at least the baseline minus what the domains still alive were built
# with (all are built before any starts). Only "at least": a live attacker may
# have given RAM back (decrease_reservation, shared_info or grant frames mapped
# over RAM) — the exact per-domain figure is the final one, or hostile-one's.
# Prints nothing when both hold.
hostile_check() {
    local log=$1 base line id used after expect d
    declare -A live=()
    base=$(grep -aoE 'keel: d1 \([^)]*\): building: domain pool [0-9]+' "$log" | grep -oE '[0-9]+$' | head -1)
    [[ -n $base ]] || { echo "no 'building: domain pool' line"; return; }
    while read -r line; do
        line=${line%$'\r'}
        id=$(sed -E 's/^keel: d([0-9]+) .*/\1/' <<< "$line")
        if [[ $line == *" starts: "* ]]; then
            used=$(grep -oE '[0-9]+ domain-pool frames' <<< "$line" | grep -oE '^[0-9]+')
            live[$id]=$used
        else
            unset "live[$id]"
            after=$(grep -oE '[0-9]+$' <<< "$line")
            expect=$base
            for d in "${!live[@]}"; do expect=$((expect - live[$d])); done
            ((after >= expect)) ||
                echo "d$id ended with $after domain-pool frames free, fewer than $expect (baseline $base minus the live domains)"
        fi
    done < <(grep -aE '^keel: d[0-9]+ \([^)]*\) (starts: |ended: [a-z]+; domain-pool free frames)' "$log")
    after=$(grep -aoE 'all domains ended; domain-pool free frames [0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
    [[ $after == "$base" ]] || echo "domain-pool free frames: $base before the first domain, ${after:-?} after the last"
}
