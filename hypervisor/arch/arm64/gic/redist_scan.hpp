// SPDX-License-Identifier: MIT
//
// arch/arm64/gic/redist_scan.hpp
// Owns finding a PE's redistributor: walking the DT's GICR regions frame by
// frame, comparing each GICR_TYPER.Affinity_Value with the PE's MPIDR, honouring
// GICR_TYPER.Last and "redistributor-stride" (GICv3 spec, IHI 0069, GICR_TYPER).
// Pure: the register read is a callback, so host tests walk a fake layout.
#pragma once
#include <cstddef>
#include <cstdint>

#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel::arm64 {

// Reads the 64-bit GICR_TYPER of the redistributor whose RD_base is `rd_base`.
using ReadGicrTyper = uint64_t (*)(PhysAddr rd_base, void* context);

struct RedistScan {
    const PhysRange* regions = nullptr;
    size_t region_count = 0;
    uint64_t stride = 0;  // "redistributor-stride" (0: by GICR_TYPER.VLPIS)
    ReadGicrTyper read_typer = nullptr;
    void* context = nullptr;
};

// RD_base of the redistributor serving `mpidr`; Errno::NoDev when no frame in the
// regions matches. Reads only frames that lie wholly inside a region.
Result<PhysAddr> find_redistributor(const RedistScan& scan, uint64_t mpidr);

}  // namespace keel::arm64
