#!/usr/bin/env bash
# toolstack/dom0-transcript.sh — dom0's own lines out of a scenario's console log: the
# DOM0-* markers of toolstack/dom0-init and the tools' output between "DOM0-BEGIN x" and
# "DOM0-END x", without the hypervisor's lines ("(XEN) ...", "keel: ..."), other domains'
# lines ("(dN) ..." for N > 0) and dom0's kernel messages ("[    1.234567] ..."). A "(d0) "
# prefix is dropped, so keel's and Xen's transcripts compare line by line.
# Usage: toolstack/dom0-transcript.sh LOG   (e.g. build/logs/dom0-smp2-xen.log)
set -euo pipefail
[[ -f ${1:-} ]] || { echo "usage: $0 LOG" >&2; exit 2; }
tr -d '\r' < "$1" | sed 's/^(d0) //' | awk '
    /^\(XEN\)|^keel: |^\(d[1-9][0-9]*\) |^\[ *[0-9]+\.[0-9]+\]|^# qemu-system|^qemu-system/ { next }
    /^DOM0-BEGIN / { inblock = 1 }
    inblock || /^DOM0-/ { print }
    /^DOM0-END / { inblock = 0 }'
