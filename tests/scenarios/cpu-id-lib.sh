# tests/scenarios/cpu-id-lib.sh — sourced by the cpu-id-* scenarios' check():
# compares the ID registers a guest printed (guests/cpu-id: "(dN) # id C.O V")
# with what keel's table gives for the host values keel logged for that domain
# (keel.log_cpu_features: "keel: dN (name): host id C: V0..V7"), computed by the
# host tool keel_id_view (tests/unit/support/id_view_main.cpp, built by make host).
# Usage: check_id_view LOG DOMID [--sve]   prints a verdict line on a difference.
check_id_view() {
    local log=$1 d=$2 tool want got
    shift 2
    tool=$BUILD/host/tests/unit/keel_id_view
    if [[ ! -x $tool && -f $BUILD/host/Makefile ]]; then
        make -s -C "$BUILD/host" keel_id_view > /dev/null 2>&1
    fi
    [[ -x $tool ]] || { echo "d$d: $tool missing (make host)"; return; }
    want=$(grep -a "keel: d$d (" "$log" | grep -a "host id " | "$tool" "$@" 2>&1) ||
        { echo "d$d: keel_id_view: $want"; return; }
    got=$(grep -aoE "^\(d$d\) # id [0-9]\.[0-9] [0-9a-f]+" "$log" | sed "s/^(d$d) # id //")
    [[ $(wc -l <<< "$got") -eq 56 ]] || { echo "d$d: $(wc -l <<< "$got") ID register lines, want 56"; return; }
    if [[ $want != "$got" ]]; then
        echo "d$d: ID registers differ from keel's table (want | got):"
        diff <(echo "$want") <(echo "$got") | grep '^[<>]' | head -10
    fi
}
