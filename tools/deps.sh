#!/usr/bin/env bash
# tools/deps.sh — installs what keel's build, tests and runs need on Debian 12.
# Idempotent: installs only what is missing, runs `apt-get update` at most once
# per machine (marker under /var/lib/apt/lists), and is safe to call from every
# make target. Usage: tools/deps.sh [base|guests]   (guests adds arm64 packages)
set -euo pipefail

want=${1:-base}
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null && SUDO="sudo" || { echo "deps: need root or sudo" >&2; exit 1; }
fi
export DEBIAN_FRONTEND=noninteractive

BASE_PKGS=(make cmake g++ gcc-aarch64-linux-gnu g++-aarch64-linux-gnu binutils-aarch64-linux-gnu
           qemu-system-arm device-tree-compiler googletest libgtest-dev python3 cpio kmod file
           ca-certificates
           clang libclang-rt-dev)  # clang, libFuzzer: make fuzz (tests/fuzz)

missing=()
for p in "${BASE_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

marker=/var/lib/apt/lists/.keel-updated
apt_update_once() {
    if [[ ! -e $marker ]]; then
        $SUDO apt-get update -qq
        $SUDO touch "$marker"
    fi
}

if [[ $want == guests ]]; then
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        $SUDO dpkg --add-architecture arm64
        $SUDO rm -f "$marker"
    fi
fi

if ((${#missing[@]})); then
    echo "deps: installing ${missing[*]}"
    apt_update_once
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[[ $want == guests ]] && apt_update_once
exit 0
