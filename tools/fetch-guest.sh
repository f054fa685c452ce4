#!/usr/bin/env bash
# tools/fetch-guest.sh — the real guest: Debian's arm64 Linux kernel and a tiny
# busybox initramfs, fetched as Debian packages (apt-get download + dpkg-deb -x)
# into a cache outside the tree, ${XDG_CACHE_HOME:-$HOME/.cache}/keel, so reruns
# and fresh clones on the same machine do not fetch them again. Nothing here is
# committed. Prints two lines: "kernel <path>" and "initrd <path>".
# Usage: tools/fetch-guest.sh [--quiet]
set -euo pipefail
# Any command that fails names itself (what a make step then shows).
trap 'echo "fetch-guest: failed (exit $?): $BASH_COMMAND" >&2' ERR
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${KEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keel}
DEBS=$CACHE/debs X=$CACHE/x OUT=$CACHE/out
mkdir -p "$DEBS" "$X" "$OUT"
"$ROOT/tools/deps.sh" guests

# The kernel package linux-image-arm64 points at, e.g. linux-image-6.1.0-56-arm64.
kpkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
       sed -n 's/.*Depends: \(linux-image-[0-9][^:]*-arm64\):arm64.*/\1/p' | head -1)
[[ -n $kpkg ]] || { echo "fetch-guest: cannot resolve linux-image-arm64:arm64 (apt lists?)" >&2; exit 1; }
kver=${kpkg#linux-image-}

fetch() {  # fetch <package> -> extracted into $X/<package>
    local p=$1 deb
    [[ -d $X/$p ]] && return 0
    deb=$(ls "$DEBS/${p}"_*_arm64.deb 2>/dev/null | head -1 || true)
    if [[ -z $deb ]]; then
        (cd "$DEBS" && apt-get download "$p:arm64" >/dev/null 2>&1) ||
            { echo "fetch-guest: apt-get download $p:arm64 failed" >&2; return 1; }
        deb=$(ls "$DEBS/${p}"_*_arm64.deb | head -1)
    fi
    rm -rf "$X/$p.tmp"; mkdir -p "$X/$p.tmp"
    dpkg-deb -x "$deb" "$X/$p.tmp"
    mv "$X/$p.tmp" "$X/$p"
}
fetch "$kpkg"
fetch busybox-static

kernel=$OUT/Image-$kver
if [[ ! -f $kernel ]]; then
    src=$X/$kpkg/boot/vmlinuz-$kver
    if [[ $(head -c2 "$src" | od -An -tx1 | tr -d ' ') == 1f8b ]]; then zcat "$src" > "$kernel.tmp"
    else cp "$src" "$kernel.tmp"; fi
    mv "$kernel.tmp" "$kernel"
fi

# The initramfs: busybox + /init from guests/linux/init, and /bin/sve-check
# (guests/linux/sve_check.cpp) when `make image` has built it under $BUILD (rebuilt
# when any of them changes).
init_src=$ROOT/guests/linux/init
sve_check=${BUILD:-$ROOT/build}/arm64/guests/sve-check
[[ -f $sve_check ]] || sve_check=""
initrd=$OUT/keel-initrd-$(cat "$init_src" ${sve_check:+"$sve_check"} | sha256sum | cut -c1-12).cpio.gz
if [[ ! -f $initrd ]]; then
    st=$(mktemp -d "$CACHE/initrd.XXXX")
    mkdir -p "$st"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc}
    cp "$X/busybox-static/bin/busybox" "$st/bin/busybox"
    for a in sh mount umount cat echo ls mkdir cut grep dmesg poweroff reboot sleep tr head tail \
             uname ps free nproc sha256sum dd date awk sed wc seq expr true false env; do
        ln -sf busybox "$st/bin/$a"
    done
    install -m 0755 "$init_src" "$st/init"
    [[ -z $sve_check ]] || install -m 0755 "$sve_check" "$st/bin/sve-check"
    (cd "$st" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -9) > "$initrd.tmp"
    mv "$initrd.tmp" "$initrd"
    rm -rf "$st"
fi
echo "kernel $kernel"
echo "initrd $initrd"
