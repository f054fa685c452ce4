// SPDX-License-Identifier: MIT
//
// guests/bad-read/main.cpp
// Test guest: reads outside the guest's own RAM and devices — just past its
// RAM, where the host's UART, GIC distributor and PCIe window are, the second
// RAM bank it was not given — each end in a data abort keel injects (EC 0x25,
// FAR = the address, a read), which the guest takes and recovers from; a
// fetch outside RAM ends in an instruction abort. Reads inside RAM and of its
// vGIC still work.
#include "guest.hpp"

using namespace guest;

namespace {

bool read_faults(uint64_t addr, const char* what)
{
    expect_fault();
    const uint32_t v = mmio_read32(addr);
    const FaultRecord f = take_fault();
    return tap::ok(f.taken && esr_ec(f.esr) == kEcDataAbortSameEl && f.far == addr && !esr_wnr(f.esr),
                   "read at %lx (%s) -> %s (ESR %lx FAR %lx)%s", static_cast<unsigned long>(addr), what,
                   f.taken ? "data abort" : "no abort", static_cast<unsigned long>(f.esr),
                   static_cast<unsigned long>(f.far), f.taken ? "" : (v != 0 ? " value seen" : ""));
}

bool read_works(uint64_t addr, const char* what)
{
    expect_fault();
    (void)mmio_read32(addr);
    const FaultRecord f = take_fault();
    return tap::ok(!f.taken, "read at %lx (%s) works", static_cast<unsigned long>(addr), what);
}

}  // namespace

void test_main(uint64_t)
{
    const GuestDt& d = dt();
    if (!d.valid || d.ram_size == 0) tap::bail("no /memory in the device tree");
    const uint64_t end = d.ram_base + d.ram_size;
    tap::note("RAM [%lx, %lx)", static_cast<unsigned long>(d.ram_base), static_cast<unsigned long>(end));

    read_works(end - 4, "last word of its RAM");
    read_works(0x03001000, "its vGIC distributor, GICD_CTLR");
    read_faults(end, "first byte past its RAM");
    read_faults(end + (64u << 20), "64 MiB past its RAM");
    read_faults(0x09000000, "the host's UART");
    read_faults(0x08000000, "the host's GIC distributor");
    read_faults(0x10000000, "the host's PCIe window");
    read_faults(0x200000000, "the second guest RAM bank, not given");
    read_works(end - 8, "its RAM again after the aborts");

    // A fetch outside RAM: call it; the handler returns to the caller.
    using Fn = void (*)();
    expect_fault();
    reinterpret_cast<Fn>(end + 0x1000)();
    const FaultRecord f = take_fault();
    tap::ok(f.taken && esr_ec(f.esr) == kEcInstrAbortSameEl && f.far == end + 0x1000,
            "executing at %lx (past its RAM) -> %s (ESR %lx)", static_cast<unsigned long>(end + 0x1000),
            f.taken ? "instruction abort" : "no abort", static_cast<unsigned long>(f.esr));
}
