#!/usr/bin/env bash
# tools/pristine-check.sh — proves the README's two commands on a pristine Debian 12:
# builds a fresh bookworm root with debootstrap (Debian's package archive is the only
# network it uses), copies this checkout into it (tracked and new files, as they are
# in the work tree), and inside it does what the README tells a new user to do:
# `apt-get install make git`, then `make test` in full, then `make run` with scripted
# console input at dom0's shell (xl list, then poweroff). Nothing of this machine's packages or
# caches leaks in: the root has its own apt state and its own ~/.cache/keel.
# The root's base packages are kept as a debootstrap tarball in the cache, so a rerun
# unpacks them instead of fetching them again; the root itself is new every time.
# Usage: tools/pristine-check.sh [--keep]      (as root)
#   --keep   leave the root (and its mounts undone) for inspection
# Env: PRISTINE_DIR (default /var/tmp/keel-pristine), MIRROR (default deb.debian.org),
#      TEST_LIMIT / RUN_LIMIT (seconds, default 3600 / 900).
# Output: $PRISTINE_DIR/logs/{debootstrap,setup,make-test,make-run}.log, summary.txt;
# exits non-zero unless both commands succeeded.
set -euo pipefail
trap 'echo "pristine-check: failed (exit $?): $BASH_COMMAND" >&2' ERR
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${PRISTINE_DIR:-/var/tmp/keel-pristine}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
CACHE=${KEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keel}
TEST_LIMIT=${TEST_LIMIT:-3600} RUN_LIMIT=${RUN_LIMIT:-900}
keep=0
[[ ${1:-} == --keep ]] && keep=1
[[ $(id -u) -eq 0 ]] || { echo "pristine-check: run as root (debootstrap, chroot, mounts)" >&2; exit 1; }

chroot_dir=$DIR/root LOGS=$DIR/logs
mkdir -p "$LOGS" "$CACHE/pristine"
rm -f "$LOGS"/*.log "$LOGS/summary.txt"
say() { echo "pristine-check: $*" | tee -a "$LOGS/summary.txt"; }
elapsed() { local s=$((SECONDS - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

umount_all() {
    local m
    for m in dev/pts dev proc sys; do
        mountpoint -q "$chroot_dir/$m" 2>/dev/null && umount -l "$chroot_dir/$m"
    done
    return 0
}
cleanup() {
    umount_all
    ((keep)) || rm -rf "$chroot_dir"
}
trap cleanup EXIT

command -v debootstrap >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

# 1. A new root from Debian's archive (base packages cached as a tarball).
t0=$SECONDS
umount_all
rm -rf "$chroot_dir"
tarball=$CACHE/pristine/bookworm-$(dpkg --print-architecture).tgz
if [[ ! -f $tarball ]]; then
    tmp=$(mktemp -d "$DIR/tarball.XXXX")
    debootstrap --make-tarball="$tarball.tmp" bookworm "$tmp" "$MIRROR" > "$LOGS/debootstrap.log" 2>&1
    mv "$tarball.tmp" "$tarball"
    rm -rf "$tmp"
fi
debootstrap --unpack-tarball="$tarball" bookworm "$chroot_dir" "$MIRROR" >> "$LOGS/debootstrap.log" 2>&1
# What a Debian 12 installation's sources are: the release, its updates, security.
cat > "$chroot_dir/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
mount -t proc proc "$chroot_dir/proc"
mount -t sysfs sys "$chroot_dir/sys"
mount --bind /dev "$chroot_dir/dev"
mount --bind /dev/pts "$chroot_dir/dev/pts"
say "fresh Debian 12 root in $chroot_dir ($(elapsed "$t0"))"

# 2. The checkout, as it is in the work tree (tracked and untracked-but-not-ignored files).
mkdir -p "$chroot_dir/root/keel"
(cd "$ROOT" && git ls-files -z -co --exclude-standard |
    while IFS= read -r -d '' f; do [[ -e $f ]] && printf '%s\0' "$f"; done |
    tar --null -T - -cf -) | tar -xf - -C "$chroot_dir/root/keel"
say "checkout copied: $(cd "$ROOT" && git describe --always --dirty)"

in_root() {  # in_root LIMIT COMMAND: a login-like environment as root inside the new root
    timeout -k 10 "$1" chroot "$chroot_dir" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/bash -c "$2"
}

# 3. What the README asks of a new user before the two commands.
t0=$SECONDS
in_root 900 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y make git' \
    > "$LOGS/setup.log" 2>&1
say "apt-get install make git ($(elapsed "$t0"))"

# 4. make test, in full.
t0=$SECONDS
rc=0
in_root "$TEST_LIMIT" 'cd /root/keel && make test' < /dev/null > "$LOGS/make-test.log" 2>&1 || rc=$?
summary=$(grep -a '^summary:' "$LOGS/make-test.log" | tail -1 || true)
say "make test: exit $rc in $(elapsed "$t0"): ${summary:-no summary line}"
test_rc=$rc

# 5. make run: dom0's shell (Debian's Xen 4.17 tools started), `xl list` typed there,
# then dom0 powered off, which ends the machine (dom0 is the hardware domain).
t0=$SECONDS
fifo=$DIR/run.stdin log=$LOGS/make-run.log
rm -f "$fifo"; mkfifo "$fifo"; : > "$log"
in_root "$RUN_LIMIT" 'cd /root/keel && make run' < "$fifo" > "$log" 2>&1 &
pid=$!
exec 3> "$fifo"
steps=("DOM0-SHELL" $'echo PRISTINE-D0 $(uname -m)\r'
       "PRISTINE-D0 aarch64" $'xl list | sed \'s/^/PRISTINE-/\'\r'
       "PRISTINE-Domain-0 +0 " $'poweroff -f\r')
i=0
while kill -0 "$pid" 2>/dev/null; do
    if ((i < ${#steps[@]})) && grep -aqE -- "${steps[i]}" "$log"; then
        printf '%s' "${steps[i + 1]}" >&3
        i=$((i + 2))
    fi
    sleep 0.5
done
rc=0; wait "$pid" || rc=$?
exec 3>&-; rm -f "$fifo"
run_ok=0
if ((rc == 0 && i == ${#steps[@]})) && grep -aq "hardware domain: the machine halts" "$log"; then run_ok=1; fi
say "make run: exit $rc in $(elapsed "$t0"), $((i / 2)) of $((${#steps[@]} / 2)) console steps, $(
    ((run_ok)) && echo "dom0's shell reached, xl list ran, dom0 powered off" || echo "FAILED")"

say "logs in $LOGS"
((test_rc == 0 && run_ok))
