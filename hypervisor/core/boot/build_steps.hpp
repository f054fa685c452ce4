// SPDX-License-Identifier: MIT
//
// core/boot/build_steps.hpp
// Owns the steps every boot-time domain builder shares (dom0less domUs in
// domain_builder.cpp, dom0 in dom0_builder.cpp): reading boot modules from host
// memory keel does not map, the ranges no module may overlap, the failure
// record with its step name, the domain's Xen interfaces (stage 2, shared_info,
// grant table; CPU features, vCPU vGIC state, event channels) and loading the
// kernel, initrd and DTB with vCPU 0's entry state. Target only.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/boot/dom0less.hpp"
#include "core/boot/guest_layout.hpp"
#include "lib/result.hpp"

namespace keel {

struct Domain;

/// ModuleReader over host RAM through a transient map (boot modules are not mapped).
bool read_host_memory(void* ctx, PhysAddr at, void* dst, size_t len);

inline constexpr size_t kKeelForbiddenRanges = 3;
/// keel's image, its heap pool and the DTB: what no boot module may overlap.
void keel_forbidden_ranges(ForbiddenRange (&out)[kKeelForbiddenRanges]);

struct BuildFailure {
    const char* step = "";  // "" when nothing failed
    Errno error = Errno::Inval;
    bool failed() const { return step[0] != '\0'; }
};

/// True (and `f` says which step) when `r` failed.
template <typename T>
bool step_failed(const Result<T>& r, const char* step, BuildFailure& f)
{
    if (r.ok()) return false;
    f = BuildFailure{step, r.error()};
    return true;
}

/// The first steps after create_domain(): guest virtual time from 0, stage 2,
/// shared_info, grant table.
BuildFailure build_xen_base(Domain& d);

/// After RAM and the vGIC's domain part: CPU features (SVE `sve_bits`), each
/// vCPU's vGIC state, event channels.
BuildFailure build_cpu_and_events(Domain& d, int32_t sve_bits);

struct ImageSources {
    PhysRange kernel;
    PhysRange initrd;    // size 0: none
    const void* dtb = nullptr;
    size_t dtb_size = 0;
};

/// Copies kernel, initrd and DTB to where `plan` says, makes the code visible
/// to instruction fetch, and sets vCPU 0 at the entry with x0 = the DTB.
BuildFailure load_images(Domain& d, const ImageSources& src, const GuestLoadPlan& plan);

}  // namespace keel
