#!/usr/bin/env bash
# tools/lint-guest-pointers.sh — fails when a guest-controlled value may reach a
# pointer dereference in keel outside the checked copy paths. A guest controls
# hypercall arguments and registers (arg[], x[], elr, far, hpfar...), guest
# addresses (GuestPhysAddr, GuestVirtAddr, gfn/gpa/gva/ipa) and every word in
# guest memory; keel reaches guest memory only through core/memory/guest_copy
# (guest-physical, p2m-checked), core/memory/guest_virt (guest-virtual, AT +
# p2m-checked) and core/memory/guest_map (pinned long-lived maps), whose
# pointers come from keel's own transient/vmap windows. This lint flags any
# cast to a pointer whose operand names a guest-controlled source. Exit 1 on a
# finding; `make test` runs it. Usage: tools/lint-guest-pointers.sh
set -uo pipefail
cd "$(dirname "$0")/.."

# Casts to a pointer type, and what makes their operand suspicious.
cast='reinterpret_cast<[^>]*\*>\('
guest='(\barg\[|\.x\[|\belr\b|\bfar\b|hpfar|Guest(Phys|Virt)Addr|\bgfn\b|\bgpa\b|\bgva\b|\bipa\b|\bguest_)'
# Reviewed exceptions: "file:substring of the line" (the pointer is keel's own
# mapping; the guest value is only an offset inside one mapped page).
allow=(
  "hypervisor/core/memory/guest_copy.cpp:reinterpret_cast<uint8_t*>(va.raw()) + ipa.page_offset()"
)

found=0
while IFS= read -r hit; do
    file=${hit%%:*}
    text=${hit#*:*:}
    ok=0
    for a in "${allow[@]}"; do
        [[ $file == "${a%%:*}" && $text == *"${a#*:}"* ]] && ok=1
    done
    if ((!ok)); then
        echo "lint-guest-pointers: $hit"
        found=1
    fi
done < <(grep -rnE "$cast" hypervisor --include='*.cpp' --include='*.hpp' | grep -E "$cast[^;]*$guest")

if ((found)); then
    echo "lint-guest-pointers: a guest-controlled value may become a pointer; go through guest_copy/guest_virt/guest_map" >&2
    exit 1
fi
echo "lint-guest-pointers: ok (no guest-controlled value cast to a pointer outside the checked paths)"
