// SPDX-License-Identifier: MIT
//
// guests/bad-write/main.cpp
// Test guest: writes outside the guest's RAM — past its end, at 0x80000000
// and 0x50000000 (in host terms another domain's RAM and the boot modules), at
// the host's UART — each end in a data abort keel injects (EC 0x25, FAR = the
// address); a 64-bit store to the vPL011 (its registers are 32-bit)
// is refused with a data abort too. Writes to its own RAM still work.
#include "guest.hpp"

using namespace guest;

namespace {

bool write_faults(uint64_t addr, bool dword, const char* what)
{
    expect_fault();
    if (dword)
        mmio_write64(addr, 0x5858585858585858ull);
    else
        mmio_write32(addr, 0x58585858u);
    const FaultRecord f = take_fault();
    // WnR is reported, not required: Xen injects these aborts with ISS 0 as well.
    return tap::ok(f.taken && esr_ec(f.esr) == kEcDataAbortSameEl && f.far == addr,
                   "%s write at %lx (%s) -> %s (ESR %lx FAR %lx WnR %d)", dword ? "64-bit" : "32-bit",
                   static_cast<unsigned long>(addr), what, f.taken ? "data abort" : "no abort",
                   static_cast<unsigned long>(f.esr), static_cast<unsigned long>(f.far),
                   esr_wnr(f.esr) ? 1 : 0);
}

}  // namespace

void test_main(uint64_t)
{
    const GuestDt& d = dt();
    if (!d.valid || d.ram_size == 0) tap::bail("no /memory in the device tree");
    const uint64_t end = d.ram_base + d.ram_size;
    tap::note("RAM [%lx, %lx)", static_cast<unsigned long>(d.ram_base), static_cast<unsigned long>(end));

    expect_fault();
    mmio_write32(end - 4, 0xc0ffee);
    const bool wrote = !take_fault().taken && mmio_read32(end - 4) == 0xc0ffee;
    tap::ok(wrote, "write and read back the last word of its RAM");

    write_faults(end, false, "first byte past its RAM");
    if (end <= 0x80000000) write_faults(0x80000000, false, "where another domain's RAM is in host terms");
    if (end < 0x50000000) write_faults(0x50000000, true, "where the boot modules are in host memory");
    write_faults(0x09000000, false, "the host's UART");
    write_faults(0x080a0000, false, "the host's GIC redistributors");
    write_faults(kUartDr, true, "its vPL011 data register, too wide");

    expect_fault();
    mmio_write32(end - 8, 0x1234);
    tap::ok(!take_fault().taken && mmio_read32(end - 8) == 0x1234, "its RAM still takes writes");
}
