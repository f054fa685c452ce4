// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/sve.cpp
// Owns SVE for guests (see sve.hpp). Eager: a vCPU of a domain with SVE has its
// SVE registers switched at every vCPU switch; docs/perf.md ("FP/SIMD and SVE
// switch") has the cost and why eager.
#include "arch/arm64/vcpu/sve.hpp"

#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/regs/cptr.hpp"
#include "core/boot/dom0less.hpp"
#include "core/console/log.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/object_heap.hpp"
#include "core/domain/vcpu.hpp"

extern "C" {
void keel_sve_save(uint8_t* regs, keel::arm64::FpState* fp);
void keel_sve_restore(const uint8_t* regs, const keel::arm64::FpState* fp);
uint64_t keel_sve_vl_bytes();
}

namespace keel::arm64 {
namespace {

constexpr unsigned kSveMaxBits = 2048;  // the architecture's largest vector

// Z0-Z31 (VL/8 bytes each), P0-P15 and FFR (VL/64 bytes each).
constexpr uint32_t sve_buffer_bytes(unsigned bits) { return 32 * (bits / 8) + 17 * (bits / 64); }
static_assert(sve_buffer_bytes(kSveMaxBits) == 8192 + 544);

void enable_sve_at_el2(uint64_t cptr)
{
    if (Cptr::Tz::get(cptr)) {
        CptrEl2::write(cptr & ~Cptr::Tz::kMask);
        isb();
    }
}

}  // namespace

unsigned sve_host_max_bits()
{
    if (((IdAa64Pfr0El1::read() >> 32) & 0xf) == 0) return 0;
    const uint64_t cptr = CptrEl2::read();
    enable_sve_at_el2(cptr);
    const uint64_t zcr = ZcrEl2::read();
    ZcrEl2::write(Zcr::Len::make(kSveMaxBits / 128 - 1));
    isb();
    const auto bits = static_cast<unsigned>(keel_sve_vl_bytes() * 8);
    ZcrEl2::write(zcr);
    CptrEl2::write(cptr);
    isb();
    return bits;
}

Result<void> sve_domain_init(Domain& d, int32_t requested)
{
    if (requested == 0) return {};
    const unsigned host = sve_host_max_bits();
    if (host == 0) {
        if (requested == kSveHostMax) {  // Xen: the host's largest of none is none
            log("keel: d{} ({}): sve: this CPU has no SVE; the domain runs without\n", d.id,
                d.name);
            return {};
        }
        log("keel: d{} ({}): sve: {} bits asked for, but this CPU has no SVE\n", d.id, d.name,
            requested);
        return Errno::OpNotSupp;
    }
    const unsigned bits = requested == kSveHostMax ? host : static_cast<unsigned>(requested);
    if (bits > host) {
        log("keel: d{} ({}): sve: {} bits asked for, this CPU's largest is {}\n", d.id, d.name,
            bits, host);
        return Errno::Inval;
    }
    const uint32_t bytes = sve_buffer_bytes(bits);
    for (uint32_t i = 0; i < d.vcpu_count; ++i) {
        SveRegs& s = d.vcpus[i]->fp.sve;
        s.regs = static_cast<uint8_t*>(alloc_object_frames(bytes));
        if (s.regs == nullptr) return Errno::NoMem;
        s.bytes = bytes;
        s.release = free_object_frames;
    }
    d.sve_vl_bits = static_cast<uint16_t>(bits);
    log("keel: d{} ({}): SVE: {}-bit vectors (this CPU: up to {})\n", d.id, d.name, bits, host);
    return {};
}

bool sve_load(Vcpu& v)
{
    const unsigned bits = v.domain->sve_vl_bits;
    const uint64_t cptr = CptrEl2::read();
    if (bits == 0) {
        // SVE traps for this vCPU (refused as undefined); the eret synchronises.
        if (!Cptr::Tz::get(cptr)) CptrEl2::write(cptr | Cptr::Tz::kMask);
        return false;
    }
    enable_sve_at_el2(cptr);
    ZcrEl2::write(Zcr::Len::make(static_cast<uint8_t>(bits / 128 - 1)));
    isb();
    keel_sve_restore(v.fp.sve.regs, &v.fp);
    ZcrEl1::write(v.fp.sve.zcr_el1);
    return true;
}

bool sve_save(Vcpu& v)
{
    if (v.domain->sve_vl_bits == 0) return false;
    v.fp.sve.zcr_el1 = ZcrEl1::read();
    keel_sve_save(v.fp.sve.regs, &v.fp);
    return true;
}

}  // namespace keel::arm64
