// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_hw.hpp
// Owns keel's access to this CPU's GICv3 virtual CPU interface registers
// (ICH_LR<n>_EL2, ICH_AP0R<n>/AP1R<n>_EL2, ICH_HCR/VMCR/VTR_EL2) by index, so
// the rest of the vGIC can loop over list registers. Target only.
#pragma once
#include <cstdint>

namespace keel::arm64::vgic {

uint64_t lr_read(uint32_t n);  // ICH_LR<n>_EL2, n < 16
void lr_write(uint32_t n, uint64_t value);
uint64_t ap0r_read(uint32_t n);  // ICH_AP0R<n>_EL2, n < 4
void ap0r_write(uint32_t n, uint64_t value);
uint64_t ap1r_read(uint32_t n);  // ICH_AP1R<n>_EL2, n < 4
void ap1r_write(uint32_t n, uint64_t value);

}  // namespace keel::arm64::vgic
