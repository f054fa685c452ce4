// SPDX-License-Identifier: MIT
//
// arch/arm64/gic/redist_scan.cpp
// Owns the redistributor walk (see redist_scan.hpp).
#include "arch/arm64/gic/redist_scan.hpp"

#include "arch/arm64/gic/gic_regs.hpp"

namespace keel::arm64 {

Result<PhysAddr> find_redistributor(const RedistScan& scan, uint64_t mpidr)
{
    for (size_t r = 0; r < scan.region_count; ++r) {
        const PhysRange& region = scan.regions[r];
        // Each redistributor has at least RD_base and SGI_base (GICR_TYPER says
        // whether more frames follow); never read past the region's end.
        for (uint64_t offset = 0;
             region.size >= kGicrStrideV3 && offset <= region.size - kGicrStrideV3;) {
            const PhysAddr rd = region.base + offset;
            const uint64_t typer = scan.read_typer(rd, scan.context);
            if (gicr_serves(typer, mpidr)) return rd;
            if (gicr::TyperBits::Last::get(typer)) break;  // last one in this region
            const uint64_t step = gicr_step(typer, scan.stride);
            if (step == 0 || offset + step < offset) break;
            offset += step;
        }
    }
    return Errno::NoDev;
}

}  // namespace keel::arm64
