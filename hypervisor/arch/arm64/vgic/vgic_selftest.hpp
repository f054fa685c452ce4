// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_selftest.hpp
// Owns the on-target check of hardware-linked SPIs (keel.selftest).
#pragma once

namespace keel::arm64 {

/// A throwaway domain with the host vGIC layout gets a free physical SPI
/// (vgic_route_hw_spi); with its vCPU loaded on this CPU, the guest-side
/// accesses (GICD_CTLR, ISENABLER, ISPENDR) make the physical SPI fire, keel
/// takes it, leaves it active and puts it in a list register with HW = 1 and
/// pINTID = INTID; then the domain's teardown disables and deactivates it.
/// Plus the refusals (twice, keel's UART, not an SPI of the domain). Boot CPU,
/// before any domain exists.
void selftest_hw_spi();

}  // namespace keel::arm64
