#!/usr/bin/env bash
# toolstack/make-dom0-initramfs.sh — dom0's userspace: a busybox initramfs with
# Debian bookworm's unmodified Xen 4.17 toolstack (xen-utils-4.17, xen-utils-common,
# xenstore-utils), the shared libraries those binaries need, the kernel modules dom0
# loads (Xen device drivers and xenfs, virtio-mmio/-pci, virtio-blk, virtio-net) and
# toolstack/dom0-init as /init.
#
# Packages come with `apt-get download` into the cache shared with tools/fetch-guest.sh,
# ${XDG_CACHE_HOME:-$HOME/.cache}/keel/{debs,x}; nothing here is committed. The
# libraries are found from the binaries' ELF NEEDED entries (aarch64-linux-gnu-readelf):
# each round fetches the library packages (Depends named lib*/zlib*) of the packages that
# provide something needed, until every NEEDED soname resolves; only that closure goes
# into the image. Modules: the closure of `modinfo -F depends`, then depmod for busybox
# modprobe. The image is cached under a name hashed from its inputs (this script, the
# /init, the udhcpc script, the kernel release and the .deb versions), so it is rebuilt
# when one of them changes. Prints "kernel <path>" and "initrd <path>".
# Usage: toolstack/make-dom0-initramfs.sh [--quiet]
set -euo pipefail
trap 'echo "make-dom0-initramfs: failed (exit $?): $BASH_COMMAND" >&2' ERR
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${KEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keel}
DEBS=$CACHE/debs X=$CACHE/x OUT=$CACHE/out
mkdir -p "$DEBS" "$X" "$OUT"
die() { echo "make-dom0-initramfs: $*" >&2; exit 1; }

# The kernel (and busybox-static) as the domUs get them. KEEL_FETCH_GUEST: the output of
# tools/fetch-guest.sh when the caller has just run it (apt-cache is slow on a busy host).
guest=${KEEL_FETCH_GUEST:-$("$ROOT/tools/fetch-guest.sh" --quiet)}
kernel=$(sed -n 's/^kernel //p' <<< "$guest")
kver=${kernel##*/Image-}
kroot=$X/linux-image-$kver
[[ -d $kroot/lib/modules/$kver ]] || die "no modules for $kver in $kroot"
busybox=$X/busybox-static/bin/busybox

fetch() {  # fetch PKG -> extracted into $X/PKG (once)
    local p=$1 deb
    [[ -d $X/$p ]] && return 0
    deb=$(ls "$DEBS/${p}"_*_arm64.deb 2>/dev/null | head -1 || true)
    if [[ -z $deb ]]; then
        (cd "$DEBS" && apt-get download "$p:arm64" >/dev/null 2>&1) ||
            die "apt-get download $p:arm64 failed"
        deb=$(ls "$DEBS/${p}"_*_arm64.deb | head -1)
    fi
    rm -rf "$X/$p.tmp"; mkdir -p "$X/$p.tmp"
    dpkg-deb -x "$deb" "$X/$p.tmp"
    mv "$X/$p.tmp" "$X/$p"
}

# ---- the toolstack and what its binaries need -----------------------------------------
TOOL_PKGS=(xen-utils-4.17 xen-utils-common xenstore-utils)
XB=usr/lib/xen-4.17/bin
# The programs dom0 runs (package-relative paths); their NEEDED closure decides the libraries.
ROOTS=("xen-utils-4.17:$XB/xl" "xen-utils-4.17:$XB/xenstored" "xen-utils-4.17:$XB/xenconsoled"
       "xen-utils-4.17:$XB/xenconsole" "xen-utils-4.17:$XB/xen-init-dom0"
       "xen-utils-4.17:$XB/init-dom0less" "xen-utils-4.17:$XB/xenstore-control"
       "xenstore-utils:usr/bin/xenstore")
LIBDIRS=(lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu lib usr/lib usr/lib/xen-4.17/lib)
fetched=()
for p in "${TOOL_PKGS[@]}"; do fetch "$p"; fetched+=("$p"); done

declare -A lib_at=()   # soname -> "pkg:relpath" (relpath may be a symlink)
index_libs() {
    local p d f
    for p in "${fetched[@]}"; do
        for d in "${LIBDIRS[@]}"; do
            [[ -d $X/$p/$d ]] || continue
            for f in "$X/$p/$d"/*.so*; do
                [[ -e $f || -L $f ]] || continue
                [[ -n ${lib_at[${f##*/}]:-} ]] || lib_at[${f##*/}]="$p:$d/${f##*/}"
            done
        done
    done
}
needed_of() {  # needed_of FILE -> NEEDED sonames and the interpreter's name
    aarch64-linux-gnu-readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
    aarch64-linux-gnu-readelf -l "$1" 2>/dev/null |
        sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p' | sed 's#.*/##'
}
# closure: sets closure (soname -> "pkg:relpath"), unresolved (sonames), users (packages)
closure_of_roots() {
    local -a queue=("${ROOTS[@]}")
    declare -gA closure=() users=()
    unresolved=()
    local item pkg rel real s
    for item in "${ROOTS[@]}"; do users[${item%%:*}]=1; done
    while ((${#queue[@]})); do
        item=${queue[0]}; queue=("${queue[@]:1}")
        pkg=${item%%:*} rel=${item#*:}
        real=$(readlink -f "$X/$pkg/$rel")
        [[ -f $real ]] || die "$pkg: $rel missing"
        for s in $(needed_of "$real"); do
            [[ -n ${closure[$s]:-} ]] && continue
            if [[ -n ${lib_at[$s]:-} ]]; then
                closure[$s]=${lib_at[$s]}
                users[${lib_at[$s]%%:*}]=1
                queue+=("${lib_at[$s]}")
            else
                [[ " ${unresolved[*]} " == *" $s "* ]] || unresolved+=("$s")
            fi
        done
    done
}
# lib_deps PKG...: sets deps_of[PKG] to its Depends that are library packages (first
# alternative), one apt-cache call for all of them (apt-cache is slow on a busy host).
declare -A deps_of=()
lib_deps() {
    local cur="" line
    while IFS= read -r line; do
        case $line in
            [!\ ]*) cur=${line%%:*}; deps_of[$cur]="" ;;
            *Depends:\ *)
                line=${line#*Depends: }; line=${line%:arm64}
                [[ $line == lib* || $line == zlib* ]] && deps_of[$cur]+=" $line" ;;
        esac
    done < <(apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks \
                 --no-replaces --no-enhances "${@/%/:arm64}" 2>/dev/null)
}
# The library packages found last time (a hint: the closure below is checked regardless).
hint=$X/.keel-dom0-libpkgs
if [[ -f $hint ]]; then
    for p in $(cat "$hint"); do if [[ -d $X/$p ]]; then fetched+=("$p"); fi; done
fi
for round in 1 2 3 4 5 6 7 8; do
    index_libs
    closure_of_roots
    ((${#unresolved[@]} == 0)) && break
    ask=(); for p in "${!users[@]}"; do [[ -n ${deps_of[$p]+x} ]] || ask+=("$p"); done
    ((${#ask[@]})) && lib_deps "${ask[@]}"
    new=()
    for p in "${!users[@]}"; do
        for d in ${deps_of[$p]:-}; do
            [[ " ${fetched[*]} ${new[*]} " == *" $d "* ]] || new+=("$d")
        done
    done
    ((${#new[@]})) || die "unresolved NEEDED ${unresolved[*]} (no library package left to fetch)"
    for p in "${new[@]}"; do fetch "$p"; fetched+=("$p"); done
done
((${#unresolved[@]} == 0)) || die "unresolved NEEDED ${unresolved[*]} after $round rounds"
# Only the packages that provide something go into the hint and the cache key.
libpkgs=(); for p in "${fetched[@]:${#TOOL_PKGS[@]}}"; do if [[ -n ${users[$p]:-} ]]; then libpkgs+=("$p"); fi; done
echo "${libpkgs[*]}" > "$hint.$$" && mv "$hint.$$" "$hint"

# ---- kernel modules ---------------------------------------------------------------------
MODULES=(xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs virtio_mmio virtio_pci virtio_blk virtio_net)
mdir=$kroot/lib/modules/$kver
declare -A mod_path=()
while IFS= read -r f; do
    n=${f##*/}; n=${n%.ko}; mod_path[${n//-/_}]=${f#"$mdir/"}
done < <(find "$mdir/kernel" -name '*.ko')
mods=()   # dependency order
add_mod() {
    local key=${1//-/_} d
    [[ -n ${mod_path[$key]:-} ]] || {
        grep -q "/${key}.ko\$\|/${1}.ko\$" "$mdir/modules.builtin" && return 0
        die "module $1: not in $kver (neither module nor built in)"; }
    [[ " ${mods[*]} " == *" ${mod_path[$key]} "* ]] && return 0
    for d in $(/sbin/modinfo -F depends "$mdir/${mod_path[$key]}" | tr , ' '); do add_mod "$d"; done
    mods+=("${mod_path[$key]}")
}
for m in "${MODULES[@]}"; do add_mod "$m"; done

# ---- cached? -------------------------------------------------------------------------------
init_src=$ROOT/toolstack/dom0-init
dhcp_src=$ROOT/toolstack/udhcpc.script
debs_used=$(for p in "${TOOL_PKGS[@]}" "${libpkgs[@]}" busybox-static; do ls "$DEBS/${p}"_*_arm64.deb | head -1 | sed 's#.*/##'; done | sort)
key=$( { cat "$0" "$init_src" "$dhcp_src"; echo "$kver"; echo "$debs_used"; } | sha256sum | cut -c1-12)
initrd=$OUT/keel-dom0-initrd-$key.cpio.gz
if [[ -f $initrd ]]; then
    echo "kernel $kernel"; echo "initrd $initrd"; exit 0
fi

# ---- the tree ------------------------------------------------------------------------------
st=$(mktemp -d "$CACHE/dom0-initrd.XXXX")
trap 'rm -rf "$st"' EXIT
mkdir -p "$st"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc/xen,root,mnt} \
         "$st"/var/{lib/xen,lib/xenstored,log/xen,lock} "$st/lib/modules/$kver"
ln -s ../run "$st/var/run"
cp "$busybox" "$st/bin/busybox"
for a in sh ash mount umount cat echo ls mkdir rmdir cut grep dmesg poweroff reboot halt sleep tr \
         head tail uname ps free nproc sha256sum dd date awk sed wc seq expr true false env test \
         modprobe insmod rmmod lsmod modinfo ip ifconfig route udhcpc ping ln cp mv rm chmod touch \
         stat setsid cttyhack find xargs sort uniq od hexdump kill killall pidof vi less which \
         readlink dirname basename logger mknod df du clear hostname printf top more timeout; do
    ln -sf busybox "$st/bin/$a"
done
install -m 0755 "$init_src" "$st/init"
install -m 0755 "$dhcp_src" "$st/etc/udhcpc.script"

copy_rel() {  # copy_rel PKG REL: the file or symlink (and a symlink's target) at the same path
    local p=$1 rel=$2 tgt
    mkdir -p "$st/$(dirname "$rel")"
    cp -a "$X/$p/$rel" "$st/$rel"
    if [[ -L $X/$p/$rel ]]; then
        tgt=$(readlink -f "$X/$p/$rel"); tgt=${tgt#"$X/$p/"}
        [[ -e $st/$tgt ]] || copy_rel "$p" "$tgt"
    fi
}
for item in "${ROOTS[@]}"; do copy_rel "${item%%:*}" "${item#*:}"; done
for s in "${!closure[@]}"; do copy_rel "${closure[$s]%%:*}" "${closure[$s]#*:}"; done
# The interpreter by the path the binaries ask for (/lib/ld-linux-aarch64.so.1 in libc6).
interp=$(aarch64-linux-gnu-readelf -l "$X/xen-utils-4.17/$XB/xl" | sed -n 's/.*interpreter: \(.*\)\]/\1/p')
[[ -e $st$interp ]] || { [[ -e $X/libc6$interp || -L $X/libc6$interp ]] && copy_rel libc6 "${interp#/}"; }
[[ -e $st$interp ]] || die "interpreter $interp not in the image"
# xenstore-utils' other names (hard links in the package) as symlinks to the one binary.
for f in "$X"/xenstore-utils/usr/bin/xenstore-*; do
    [[ -L $f ]] && continue
    ln -sf xenstore "$st/usr/bin/${f##*/}"
done
# Debian's wrappers: /usr/sbin/xl etc. pick /usr/lib/xen-<major.minor>/bin from /sys/hypervisor.
copy_rel xen-utils-common usr/lib/xen-common/bin/xen-utils-wrapper
copy_rel xen-utils-common usr/lib/xen-common/bin/xen-version
copy_rel xen-utils-common usr/lib/xen-common/bin/xen-dir
for w in xl xenstored xenconsoled; do copy_rel xen-utils-common "usr/sbin/$w"; done
cp "$X/xen-utils-common/etc/xen/xl.conf" "$st/etc/xen/xl.conf"
# Modules, then busybox modprobe's modules.dep.
for rel in "${mods[@]}"; do
    mkdir -p "$st/lib/modules/$kver/$(dirname "$rel")"
    cp "$mdir/$rel" "$st/lib/modules/$kver/$rel"
done
cp "$mdir"/modules.order "$mdir"/modules.builtin "$mdir"/modules.builtin.modinfo "$st/lib/modules/$kver/"
/sbin/depmod -b "$st" "$kver"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$st/etc/passwd"
printf 'root:x:0:\n' > "$st/etc/group"

(cd "$st" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -9) > "$initrd.tmp"
mv "$initrd.tmp" "$initrd"
[[ ${1:-} == --quiet ]] || echo "make-dom0-initramfs: $(stat -c %s "$initrd") bytes, ${#closure[@]} libraries, ${#mods[@]} modules (packages: ${TOOL_PKGS[*]} ${libpkgs[*]})" >&2
echo "kernel $kernel"
echo "initrd $initrd"
