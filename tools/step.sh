#!/usr/bin/env bash
# tools/step.sh — runs one step of a make target (build, preparation, fetch) with
# its output kept in a log instead of the terminal. Success prints nothing (or one
# "ok" line with -v); failure prints which step failed, the command and its exit
# status, the first lines of its error and the log's path, then exits with the
# command's status. KEEL_VERBOSE=1 (make V=1) shows the output as it comes instead.
# Usage: tools/step.sh [-v] NAME LOG -- COMMAND [ARGS...]
set -uo pipefail
say_ok=0
[[ ${1:-} == -v ]] && { say_ok=1; shift; }
name=${1:?usage: tools/step.sh [-v] NAME LOG -- COMMAND [ARGS...]} log=${2:?}
shift 2
[[ ${1:-} == -- ]] && shift
(($#)) || { echo "step: no command for '$name'" >&2; exit 2; }
mkdir -p "$(dirname "$log")"

if [[ ${KEEL_VERBOSE:-0} == 1 ]]; then
    "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
else
    # stdout and stderr apart: the error excerpt comes from stderr when there is one.
    "$@" > "$log.out" 2> "$log.err"
    rc=$?
    cat "$log.out" "$log.err" > "$log"
fi
if ((rc == 0)); then
    rm -f "$log.out" "$log.err"
    ((say_ok)) && echo "$name: ok"
    exit 0
fi

{
    echo "FAILED: $name (exit $rc)"
    echo "  command: $(printf '%q ' "$@")"
    if [[ ${KEEL_VERBOSE:-0} != 1 ]]; then
        # The excerpt: from just before the first line that names an error, else the
        # first lines of stderr, else the last lines of stdout.
        if [[ -s $log.err ]]; then src=$log.err; else src=$log.out; fi
        first=$(grep -niE 'error|fatal|not found|no such|cannot|failed|denied' "$src" |
                head -1 | cut -d: -f1)
        if [[ -n $first ]]; then
            tail -n +"$((first > 2 ? first - 2 : 1))" "$src" | head -n 15
        elif [[ $src == "$log.err" ]]; then
            head -n 15 "$src"
        else
            tail -n 15 "$src"
        fi | sed 's/^/  | /'
    fi
    echo "  whole output: $log"
} >&2
rm -f "$log.out" "$log.err"
exit "$rc"
