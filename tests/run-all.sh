#!/usr/bin/env bash
# tests/run-all.sh — what `make test` runs after building: the host unit tests
# (ctest), then the QEMU scenarios. Exits non-zero on any failure and ends with
# one summary line for both.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
JOBS=$(nproc 2>/dev/null || echo 2)

echo "== lint"
tools/lint-guest-pointers.sh
lint_rc=$?

echo "== unit tests"
(cd "$BUILD/host" && ctest --output-on-failure -j"$JOBS") | tee "$BUILD/unit.log"
unit_rc=${PIPESTATUS[0]}
unit_line=$(grep -E "tests passed|tests failed" "$BUILD/unit.log" | tail -1)

echo "== scenarios"
tests/scenarios/run.sh
scen_rc=$?

echo "unit: ${unit_line:-no ctest summary}"
echo "summary: lint $([[ $lint_rc -eq 0 ]] && echo passed || echo FAILED), unit $([[ $unit_rc -eq 0 ]] && echo passed || echo FAILED), $(tail -1 "$BUILD/logs/summary.txt" 2>/dev/null || echo 'scenarios: none run')"
[[ $lint_rc -eq 0 && $unit_rc -eq 0 && $scen_rc -eq 0 ]]
