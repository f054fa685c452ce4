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
#   4. with --dom0-kernel, a dom0 as well (booting.txt "Dom0 kernel and ramdisk"):
#      its "multiboot,kernel" / "multiboot,ramdisk" modules directly under /chosen
#      (placed first) and its command line in "xen,dom0-bootargs"; the xen,domain
#      nodes are then the dom0less domUs started beside it (none is fine).
# Writes OUT.dtb (and OUT.dts next to it) and prints the QEMU arguments that
# load the modules, one argument per line ("-device", "loader,file=...").
#
# Usage: tools/make-dom0less-dtb.sh -o OUT.dtb [-q "QEMU machine flags"]
#            [-b "xen,xen-bootargs"] [--base ADDR]
#            --domain NAME --memory KIB --cpus N [--kernel FILE] [--ramdisk FILE]
#            [--bootargs TEXT] [--no-vpl011] [--enhanced VALUE] [--sve BITS|max]
#            [--evtchn LOCAL:PEER-DOMAIN:PEER-PORT ...] [--shm ID:ROLE:HOST-PA:GUEST-PA:SIZE ...]
#            [--domain NAME ...]
#            [--dom0-kernel FILE [--dom0-ramdisk FILE] [--dom0-bootargs TEXT]]
#   --dom0-kernel FILE  a dom0 (above); -b then carries dom0_mem=/dom0_max_vcpus= for it
#   --enhanced VALUE    xen,enhanced = "VALUE" ("enabled", "no-xenstore"; Xen 4.17
#                       refuses "enabled" without dom0)
#   --sve BITS|max      Xen 4.18's "sve": the domain's SVE vector length in bits (a multiple
#                       of 128 up to 2048; 0 = no SVE), "max" = the property without a value
#                       (the host's largest)
#   --evtchn L:PEER:P   a static event channel (booting.txt "Static Event Channel"): an
#                       evtchn@L child { compatible = "xen,evtchn-v1"; xen,evtchn = <L &peer>; }
#                       whose phandle points at the peer domain's evtchn@P node (written for
#                       the peer too when its own --evtchn is missing)
#   --shm ID:ROLE:HPA:GPA:SIZE  static shared memory (booting.txt "Static Shared Memory"): a
#                       NAME-shared-mem@GPA child { compatible = "xen,domain-shared-memory-v1";
#                       role = "owner"|"borrower" (ROLE empty: no role property);
#                       xen,shm-id = "ID"; xen,shared-mem = <HPA GPA SIZE>; } (2+2 cells)
#   --kernel ""         no kernel module at all (a broken domain node)
#   --ramdisk @kernel   a ramdisk module overlapping the kernel (a broken domain node)
# Example:
#   tools/make-dom0less-dtb.sh -o build/two.dtb -q "-machine virt,virtualization=on,gic-version=3 -smp 2 -m 1G" \
#       -b "keel.exit_when_idle" --domain domU1 --memory 65536 --cpus 1 --kernel build/arm64/guests/uart-hello.bin
set -euo pipefail
# Any command that fails names itself (what a make step then shows).
trap 'echo "make-dom0less-dtb: failed (exit $?): $BASH_COMMAND" >&2' ERR

die() { echo "make-dom0less-dtb: $*" >&2; exit 2; }

out="" machine="-machine virt,virtualization=on,gic-version=3" xen_args="" base=$((0x50000000))
names=() mems=() cpus=() kernels=() ramdisks=() args=() uarts=()
enhanced=() sves=() evtchns=() shms=()  # per domain; evtchns/shms: space-separated specs
dom0_kernel="" dom0_ramdisk="" dom0_args=""
while (($#)); do
    case $1 in
        -o) out=$2; shift 2 ;;
        -q) machine=$2; shift 2 ;;
        -b) xen_args=$2; shift 2 ;;
        --base) base=$(($2)); shift 2 ;;
        --dom0-kernel) dom0_kernel=$2; shift 2 ;;
        --dom0-ramdisk) dom0_ramdisk=$2; shift 2 ;;
        --dom0-bootargs) dom0_args=$2; shift 2 ;;
        --domain) names+=("$2"); mems+=(""); cpus+=(""); kernels+=(""); ramdisks+=(""); args+=("")
                  uarts+=(1); enhanced+=(""); sves+=(""); evtchns+=(""); shms+=(""); shift 2 ;;
        --memory|--cpus|--kernel|--ramdisk|--bootargs|--no-vpl011|--enhanced|--sve|--evtchn|--shm)
            ((${#names[@]})) || die "$1 before --domain"
            i=$((${#names[@]} - 1))
            case $1 in
                --memory) mems[i]=$2 ;;
                --cpus) cpus[i]=$2 ;;
                --kernel) kernels[i]=$2 ;;
                --ramdisk) ramdisks[i]=$2 ;;
                --bootargs) args[i]=$2 ;;
                --no-vpl011) uarts[i]=0; shift; continue ;;
                --enhanced) enhanced[i]=$2 ;;
                --sve)
                    [[ $2 =~ ^([0-9]+|max)$ ]] || die "--sve '$2': want a number of bits or max"
                    sves[i]=$2 ;;
                --evtchn)
                    [[ $2 =~ ^[0-9]+:[^:]+:[0-9]+$ ]] || die "--evtchn '$2': want LOCAL-PORT:PEER-DOMAIN:PEER-PORT"
                    evtchns[i]+=" $2" ;;
                --shm)
                    [[ $2 =~ ^[^:]+:(owner|borrower|):(0x)?[0-9a-fA-F]+:(0x)?[0-9a-fA-F]+:(0x)?[0-9a-fA-F]+$ ]] ||
                        die "--shm '$2': want ID:owner|borrower|:HOST-PA:GUEST-PA:SIZE"
                    shms[i]+=" $2" ;;
            esac
            shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[[ -n $out ]] || die "no -o OUT.dtb"
((${#names[@]})) || [[ -n $dom0_kernel ]] || die "no --domain and no --dom0-kernel"
[[ -n $dom0_kernel || ( -z $dom0_ramdisk && -z $dom0_args ) ]] || die "--dom0-ramdisk/--dom0-bootargs without --dom0-kernel"
command -v dtc >/dev/null || die "dtc not found (apt-get install device-tree-compiler)"
mkdir -p "$(dirname "$out")"
dts=${out%.dtb}.dts

# 1. QEMU's tree for exactly these machine flags (CPUs, memory, GIC).
base_dtb=$(mktemp "${TMPDIR:-/tmp}/keel-virt.XXXXXX.dtb")
trap 'rm -f "$base_dtb"' EXIT
# shellcheck disable=SC2086  # machine flags are words on purpose
err=$(timeout 60 qemu-system-aarch64 $machine -nic none -nographic -machine dumpdtb="$base_dtb" 2>&1 >/dev/null) ||
    die "qemu-system-aarch64 $machine -nic none -machine dumpdtb failed: $(head -3 <<< "$err")"

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
pair() { printf '0x%x 0x%x' $(($1 >> 32)) $(($1 & 0xffffffff)); }
quote() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }

# Static event channels: both ends exist, each names the other (Xen checks that).
dom_index() {  # dom_index NAME -> REPLY
    local j
    for j in "${!names[@]}"; do [[ ${names[j]} == "$1" ]] && { REPLY=$j; return 0; }; done
    return 1
}
declare -A ev_peer=()  # "dom:port" -> "peerdom:peerport"
for i in "${!names[@]}"; do
    for e in ${evtchns[i]}; do
        IFS=: read -r lp pname pp <<< "$e"
        dom_index "$pname" || die "--evtchn $e: no domain named '$pname'"
        j=$REPLY
        key="$i:$((lp))" peer="$j:$((pp))"
        [[ -n ${ev_peer[$key]:-} && ${ev_peer[$key]} != "$peer" ]] && die "--evtchn $e: port $lp of ${names[i]} used twice"
        ev_peer[$key]=$peer
    done
done
for key in "${!ev_peer[@]}"; do
    peer=${ev_peer[$key]}
    if [[ -z ${ev_peer[$peer]:-} ]]; then
        ev_peer[$peer]=$key
    elif [[ ${ev_peer[$peer]} != "$key" ]]; then
        die "static event channel ${key} -> ${peer}, but ${peer} -> ${ev_peer[$peer]}"
    fi
done
ev_label() { echo "keel_evtchn_d${1%%:*}_p${1##*:}"; }

# 2. The /chosen additions; dtc merges this second root block into QEMU's.
{
    dtc -q -I dtb -O dts "$base_dtb"
    echo
    echo "/ {"
    echo "	chosen {"
    echo "		#address-cells = <0x2>;"
    echo "		#size-cells = <0x2>;"
    [[ -n $xen_args ]] && echo "		xen,xen-bootargs = $(quote "$xen_args");"
    # 4. dom0: properties first (dtc wants them before subnodes), then its modules.
    if [[ -n $dom0_kernel ]]; then
        [[ -n $dom0_args ]] && echo "		xen,dom0-bootargs = $(quote "$dom0_args");"
        for m in "kernel:$dom0_kernel" ${dom0_ramdisk:+"ramdisk:$dom0_ramdisk"}; do
            f=${m#*:}
            place "$f"
            echo "		module@$(printf '%x' "${at[$f]}") {"
            echo "			compatible = \"multiboot,${m%%:*}\", \"multiboot,module\";"
            echo "			reg = $(cells64 "${at[$f]}"), $(cells64 "${size[$f]}");"
            echo "		};"
        done
    fi
    for i in "${!names[@]}"; do
        echo "		${names[i]} {"
        echo '			compatible = "xen,domain";'
        echo "			#address-cells = <0x2>;"
        echo "			#size-cells = <0x2>;"
        [[ -n ${mems[i]} ]] && echo "			memory = $(cells64 "${mems[i]}");"
        [[ -n ${cpus[i]} ]] && echo "			cpus = <$(hex "${cpus[i]}")>;"
        ((uarts[i])) && echo "			vpl011;"
        [[ -n ${enhanced[i]} ]] && echo "			xen,enhanced = $(quote "${enhanced[i]}");"
        case ${sves[i]} in
            "") ;;
            max) echo "			sve;" ;;
            *) echo "			sve = <$(hex "${sves[i]}")>;" ;;
        esac
        for key in $(printf '%s\n' "${!ev_peer[@]}" | grep "^$i:" | sort -t: -k2,2n); do
            port=${key##*:}
            echo "			$(ev_label "$key"): evtchn@$(printf '%x' "$port") {"
            echo '				compatible = "xen,evtchn-v1";'
            echo "				xen,evtchn = <$(hex "$port") &$(ev_label "${ev_peer[$key]}")>;"
            echo "			};"
        done
        for sh in ${shms[i]}; do
            IFS=: read -r sid srole shpa sgpa ssize <<< "$sh"
            echo "			${names[i]}-shared-mem@$(printf '%x' $((sgpa))) {"
            echo '				compatible = "xen,domain-shared-memory-v1";'
            [[ -n $srole ]] && echo "				role = \"$srole\";"
            echo "				xen,shm-id = $(quote "$sid");"
            echo "				xen,shared-mem = <$(pair $((shpa))) $(pair $((sgpa))) $(pair $((ssize)))>;"
            echo "			};"
        done
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
