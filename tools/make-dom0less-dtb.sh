#!/usr/bin/env bash
# tools/make-dom0less-dtb.sh — writes the device tree a Xen user would write to
# boot dom0less domUs on QEMU virt (Xen docs/misc/arm/device-tree/booting.txt,
# "Creating Multiple Domains directly from Xen"), for keel or Xen alike:
#   1. QEMU's own tree for the given machine flags (-machine dumpdtb),
#   2. /chosen gets "xen,xen-bootargs" and one "xen,domain" node per domain
#      (memory in KiB as <hi lo>, cpus, vpl011, a "multiboot,kernel" module with
#      the domain's bootargs and, optionally, a "multiboot,ramdisk" module),
#   3. every distinct file is placed once, from --base (default 0x50000000)
#      upwards, 2 MiB aligned; domains naming the same file share it.
# Writes OUT.dtb (and OUT.dts next to it) and prints the QEMU arguments that
# load the modules, one argument per line ("-device", "loader,file=...").
#
# Usage: tools/make-dom0less-dtb.sh -o OUT.dtb [-q "QEMU machine flags"]
#            [-b "xen,xen-bootargs"] [--base ADDR]
#            --domain NAME --memory KIB --cpus N [--kernel FILE] [--ramdisk FILE]
#            [--bootargs TEXT] [--no-vpl011] [--domain NAME ...]
#   --kernel ""         no kernel module at all (a broken domain node)
#   --ramdisk @kernel   a ramdisk module overlapping the kernel (a broken domain node)
# Example:
#   tools/make-dom0less-dtb.sh -o build/two.dtb -q "-machine virt,virtualization=on,gic-version=3 -smp 2 -m 1G" \
#       -b "keel.exit_when_idle" --domain domU1 --memory 65536 --cpus 1 --kernel build/arm64/guests/uart-hello.bin
set -euo pipefail

die() { echo "make-dom0less-dtb: $*" >&2; exit 2; }

out="" machine="-machine virt,virtualization=on,gic-version=3" xen_args="" base=$((0x50000000))
names=() mems=() cpus=() kernels=() ramdisks=() args=() uarts=()
while (($#)); do
    case $1 in
        -o) out=$2; shift 2 ;;
        -q) machine=$2; shift 2 ;;
        -b) xen_args=$2; shift 2 ;;
        --base) base=$(($2)); shift 2 ;;
        --domain) names+=("$2"); mems+=(""); cpus+=(""); kernels+=(""); ramdisks+=(""); args+=("")
                  uarts+=(1); shift 2 ;;
        --memory|--cpus|--kernel|--ramdisk|--bootargs|--no-vpl011)
            ((${#names[@]})) || die "$1 before --domain"
            i=$((${#names[@]} - 1))
            case $1 in
                --memory) mems[i]=$2 ;;
                --cpus) cpus[i]=$2 ;;
                --kernel) kernels[i]=$2 ;;
                --ramdisk) ramdisks[i]=$2 ;;
                --bootargs) args[i]=$2 ;;
                --no-vpl011) uarts[i]=0; shift; continue ;;
            esac
            shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[[ -n $out ]] || die "no -o OUT.dtb"
((${#names[@]})) || die "no --domain"
command -v dtc >/dev/null || die "dtc not found (apt-get install device-tree-compiler)"
mkdir -p "$(dirname "$out")"
dts=${out%.dtb}.dts

# 1. QEMU's tree for exactly these machine flags (CPUs, memory, GIC).
base_dtb=$(mktemp "${TMPDIR:-/tmp}/keel-virt.XXXXXX.dtb")
trap 'rm -f "$base_dtb"' EXIT
# shellcheck disable=SC2086  # machine flags are words on purpose
timeout 60 qemu-system-aarch64 $machine -nographic -machine dumpdtb="$base_dtb" >/dev/null 2>&1 ||
    die "qemu-system-aarch64 $machine -machine dumpdtb failed"

# 3. Placement: each distinct file once, 2 MiB aligned.
declare -A at=() size=()
next=$base loaders=()
place() {  # place FILE -> at[FILE], size[FILE]
    local f=$1 s
    [[ -n ${at[$f]:-} ]] && return 0
    [[ -f $f ]] || die "module file '$f' not found"
    s=$(stat -L -c %s "$f")
    ((s > 0)) || die "module file '$f' is empty"
    at[$f]=$next size[$f]=$s
    next=$(((next + s + 0x1fffff) & ~0x1fffff))
    loaders+=(-device "loader,file=$f,addr=$(printf '0x%x' "${at[$f]}"),force-raw=on")
}
hex() { printf '0x%x' "$1"; }
cells64() { printf '<0x%x 0x%x>' $(($1 >> 32)) $(($1 & 0xffffffff)); }
quote() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }

# 2. The /chosen additions; dtc merges this second root block into QEMU's.
{
    dtc -q -I dtb -O dts "$base_dtb"
    echo
    echo "/ {"
    echo "	chosen {"
    echo "		#address-cells = <0x2>;"
    echo "		#size-cells = <0x2>;"
    [[ -n $xen_args ]] && echo "		xen,xen-bootargs = $(quote "$xen_args");"
    for i in "${!names[@]}"; do
        echo "		${names[i]} {"
        echo '			compatible = "xen,domain";'
        echo "			#address-cells = <0x2>;"
        echo "			#size-cells = <0x2>;"
        [[ -n ${mems[i]} ]] && echo "			memory = $(cells64 "${mems[i]}");"
        [[ -n ${cpus[i]} ]] && echo "			cpus = <$(hex "${cpus[i]}")>;"
        ((uarts[i])) && echo "			vpl011;"
        k=${kernels[i]}
        if [[ -n $k ]]; then
            place "$k"
            echo "			module@$(printf '%x' "${at[$k]}") {"
            echo '				compatible = "multiboot,kernel", "multiboot,module";'
            echo "				reg = $(cells64 "${at[$k]}"), $(cells64 "${size[$k]}");"
            [[ -n ${args[i]} ]] && echo "				bootargs = $(quote "${args[i]}");"
            echo "			};"
        fi
        r=${ramdisks[i]}
        if [[ $r == @kernel ]]; then
            [[ -n $k ]] || die "${names[i]}: --ramdisk @kernel needs a kernel"
            rb=$((at[$k] + 0x1000))
            echo "			module@$(printf '%x' "$rb") {"
            echo '				compatible = "multiboot,ramdisk", "multiboot,module";'
            echo "				reg = $(cells64 "$rb"), $(cells64 0x1000);"
            echo "			};"
        elif [[ -n $r ]]; then
            place "$r"
            echo "			module@$(printf '%x' "${at[$r]}") {"
            echo '				compatible = "multiboot,ramdisk", "multiboot,module";'
            echo "				reg = $(cells64 "${at[$r]}"), $(cells64 "${size[$r]}");"
            echo "			};"
        fi
        echo "		};"
    done
    echo "	};"
    echo "};"
} > "$dts"
dtc -q -I dts -O dtb -o "$out" "$dts" || die "dtc rejected $dts"
printf '%s\n' "${loaders[@]}"
