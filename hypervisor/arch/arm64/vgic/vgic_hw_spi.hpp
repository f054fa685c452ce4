// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_hw_spi.hpp
// Owns the vGIC-internal side of hardware-linked SPIs (vgic_hw_spi.cpp): what
// the domain side (vgic.cpp) and this CPU's interface (vgic_cpu.cpp) call to
// keep a physical SPI in step with the virtual one it backs. Target only.
#pragma once
#include "arch/arm64/vgic/vgic_mmio.hpp"

namespace keel {
struct Domain;
struct Vcpu;
}  // namespace keel

namespace keel::arm64::vgic {

/// Carries out what a guest access asked of the physical SPIs (enable,
/// disable, pending latch, releasing one keel held active, routing). Domain
/// vGIC lock held.
void hw_spi_apply(Domain& d, const HwSpiEffect& e);

/// v was just loaded on this CPU: the hardware-linked SPIs that target it are
/// routed here when they were routed elsewhere (the physical SPI follows its
/// vCPU, as Xen moves it on migration). Domain vGIC lock held.
void hw_spi_follow(Domain& d, Vcpu& v);

}  // namespace keel::arm64::vgic
