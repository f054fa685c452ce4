// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/parts_stubs.cpp
// Owns the weak stand-ins for what the vCPU core calls in parts that may not be
// linked in yet (parts.hpp). Each logs one warning the first time it is used,
// so a missing part shows in the log instead of failing silently. A part's real
// (strong) definition replaces its stand-in at link time.
#include <atomic>

#include "arch/arm64/vcpu/parts.hpp"
#include "core/console/log.hpp"
#include "core/domain/lifecycle.hpp"
#include "core/domain/vcpu.hpp"

namespace keel {
namespace {

void missing(std::atomic<bool>& once, const char* name)
{
    if (!once.exchange(true)) log("keel: warning: {}: part not linked in (weak stand-in)\n", name);
}

constinit std::atomic<bool> g_vgic{false};
constinit std::atomic<bool> g_vtimer{false};
constinit std::atomic<bool> g_stage2{false};
constinit std::atomic<bool> g_p2m{false};

}  // namespace

namespace arm64 {

[[gnu::weak]] void vgic_restore(Vcpu&) { missing(g_vgic, "vgic_restore"); }
[[gnu::weak]] void vgic_save(Vcpu&) {}
[[gnu::weak]] bool vgic_has_pending(Vcpu&) { return false; }
[[gnu::weak]] void vgic_handle_sgi1r(Vcpu&, uint64_t) { missing(g_vgic, "vgic_handle_sgi1r"); }

[[gnu::weak]] void vtimer_restore(Vcpu&) { missing(g_vtimer, "vtimer_restore"); }
[[gnu::weak]] void vtimer_save(Vcpu&) {}
[[gnu::weak]] void vtimer_vcpu_destroy(Vcpu&) {}

[[gnu::weak]] void handle_stage2_abort(Vcpu& v, TrapFrame& frame)
{
    missing(g_stage2, "handle_stage2_abort");
    log("keel: d{} vCPU {}: stage-2 abort ESR {:#x} FAR {:#x} at PC {:#x}\n", v.domain->id, v.id,
        frame.esr, frame.far, frame.elr);
    domain_crash(*v.domain, "stage-2 abort without a stage-2 part");
}

}  // namespace arm64

[[gnu::weak]] void p2m_destroy(Domain&) { missing(g_p2m, "p2m_destroy"); }
[[gnu::weak]] uint64_t p2m_vtcr()
{
    missing(g_p2m, "p2m_vtcr");
    return 0;
}

}  // namespace keel
