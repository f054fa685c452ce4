// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_state.hpp
// Owns the state of keel's virtual GICv3: VgicDomainState (the emulated
// distributor: per-SPI enable/pending/active/priority/config/route) and
// VgicCpuState (one vCPU: its redistributor's SGI/PPI state, pending virtual
// interrupts not yet in a list register, saved ICH_* registers).
// (Placeholder shape; the vGIC part fills it in.)
#pragma once
#include <cstdint>

namespace keel {

struct VgicDomainState {
    uint32_t ctlr = 0;  // GICD_CTLR as the guest wrote it
};

struct VgicCpuState {
    uint64_t lr[16] = {};  // saved ICH_LR<n>_EL2
    uint32_t hcr = 0;      // saved ICH_HCR_EL2
    uint32_t vmcr = 0;     // saved ICH_VMCR_EL2
};

}  // namespace keel
