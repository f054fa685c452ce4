// SPDX-License-Identifier: MIT
//
// guests/hostile/hostile.hpp
// Owns what the hostile guest's modes share: the seeded PRNG, the guest's
// address map (its own image, which no attack may point keel at, and the
// "upper RAM" it may sacrifice), generators of hostile pointers, GFNs and
// values, a fault-counting access helper, and one entry point per mode. The
// mode comes from /chosen bootargs "hostile=<mode>", the seed from "seed="
// (default: the virtual counter), counts from "calls=", "sends=", "ops=".
#pragma once
#include <cstdint>

#include "guest.hpp"
#include "prng.hpp"

namespace hostile {

struct Ctx {
    guest::Prng rng;
    uint64_t seed = 0;
    uint64_t ram_base = 0;
    uint64_t ram_end = 0;
    uint64_t image_end = 0;  // end of code, data, BSS and stacks (guest.ld's _end)
    uint64_t upper = 0;      // [upper, upper_end): RAM the attacks may give away or overwrite
    uint64_t upper_end = 0;
    uint32_t vcpus = 0;
    uint16_t self = 0;       // this domain's id (from bootargs "domid=", else 0x7ff0 only)
    const char* args = "";
    const char* mode = "";
};
Ctx& ctx();

// ---- generators (all avoid the guest's own image: keel never writes there for us)
/// A guest pointer of a random class: scratch (in the image, owned by the caller's
/// buffer), upper RAM, RAM end straddle, MMIO windows, grant window, unmapped IPA,
/// beyond the IPA size, high VA, unaligned variants. `scratch` may be 0.
uint64_t bad_ptr(uint64_t scratch, uint64_t scratch_len);
/// A bad_ptr() that is not RAM at all (the call must fail with -EFAULT).
uint64_t fault_ptr();
/// A GFN: upper RAM, RAM end, MMIO, grant window, 0, huge, own image excluded.
uint64_t any_gfn();
/// A 64-bit argument: small numbers, boundaries, domids, ports, random.
uint64_t any_value();
/// A domain id: self, 0, neighbours 1..8, DOMID_* specials, random.
uint16_t any_domid();
/// Fills [p, p+len) with a mix of any_value()/any_gfn()/bad_ptr() words.
void fill_hostile(void* p, uint64_t len);

// ---- faults
/// Calls fn(arg) with a fault expected; true when a synchronous exception was taken.
bool faulted(void (*fn)(uint64_t), uint64_t arg);

// ---- end
/// "HOSTILE-DONE <mode> calls=<n>" then PSCI SYSTEM_OFF.
[[noreturn]] void done(const char* mode, uint64_t calls);

// ---- modes (each returns the number of calls it made)
uint64_t run_hypercalls(uint64_t n);
uint64_t run_mmio();
uint64_t run_firmware(uint64_t n);
uint64_t run_sysregs(uint64_t n);
uint64_t run_evtchn(uint64_t n);
uint64_t run_grant(uint64_t n);
[[noreturn]] void run_crash();
[[noreturn]] void run_offmidflood();
void secondary(uint32_t cpu);  // the modes' use of vCPU 1
void firmware_secondary();
void crash_secondary();
void flood_secondary();

}  // namespace hostile
