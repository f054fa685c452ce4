// SPDX-License-Identifier: MIT
//
// core/console/vpl011_device.cpp
// Owns a domain's vPL011 as a device (image only): the MMIO region at
// GUEST_PL011_BASE, the register model run under the domain's vPL011 lock,
// output printed on keel's console as "(d<N>) <line>" (or passed through while
// the domain has console input), SPI 32 as a level line in the vGIC, and input
// bytes from the console mux.
//
// Lock order: console input (console_input.cpp) -> Domain::vpl011.lock ->
// keel's console lock. The vGIC is called after the vPL011 lock is dropped.
#include "arch/arm64/vgic/vgic.hpp"
#include "core/boot/guest_layout.hpp"
#include "core/console/console_mux.hpp"
#include "core/console/log.hpp"
#include "core/console/vpl011.hpp"
#include "core/domain/domain.hpp"

namespace keel {
namespace {

void print_line(void* ctx, const char* text, uint32_t len)
{
    const Domain& d = *static_cast<const Domain*>(ctx);
    char line[kVpl011LineMax + 1];
    for (uint32_t i = 0; i < len; ++i) line[i] = text[i];
    line[len] = '\0';
    log("(d{}) {}\n", d.id, line);
}

void print_raw(void*, const char* text, uint32_t len) { console::write_bytes(text, len); }

Vpl011Output output_of(Domain& d)
{
    Vpl011Output out;
    out.line = print_line;
    out.raw = print_raw;
    out.ctx = &d;
    return out;
}

// The SPI is level-sensitive: the vGIC follows the line, told when a new cause
// appears and when the last one is cleared (see vpl011.cpp).
void signal(Domain& d, const Vpl011Effects& fx)
{
    if (fx.raise) {
        vgic_set_line(d, nullptr, kGuestVpl011Spi, true);
    } else if (fx.lower) {
        vgic_set_line(d, nullptr, kGuestVpl011Spi, false);
    }
}

bool vpl011_mmio(Vcpu&, MmioAccess& access, void* ctx)
{
    Domain& d = *static_cast<Domain*>(ctx);
    Vpl011Effects fx;
    if (!access.write) {
        // Reads (an earlycon polls UARTFR before every character) print nothing:
        // no focus to look up.
        {
            LockGuard guard{d.vpl011.lock};
            fx = vpl011_read(d.vpl011, access);
        }
        signal(d, fx);
        // The guest read its data register: input held back for lack of room may flow again.
        if ((access.offset & ~uint64_t{3}) == vpl011::kDr) console_input_resume();
        return fx.ok;
    }
    {
        LockGuard guard{d.vpl011.lock};
        fx = vpl011_access(d.vpl011, access, console_input_focus() == d.id, d.vpl011.output);
    }
    signal(d, fx);
    return fx.ok;
}

}  // namespace

bool vpl011_init(Domain& d)
{
    {
        LockGuard guard{d.vpl011.lock};
        vpl011_reset(d.vpl011);
        d.vpl011.output = output_of(d);
    }
    MmioRegion region;
    region.base = GuestPhysAddr{kGuestPl011Base};
    region.size = kGuestPl011Size;
    region.handler = vpl011_mmio;
    region.ctx = &d;
    region.name = "vpl011";
    if (!d.mmio.add(region)) return false;
    d.has_vpl011 = true;
    console_input_attach(d);
    return true;
}

void vpl011_release(Domain& d)
{
    if (!d.has_vpl011) return;
    console_input_detach(d);
    LockGuard guard{d.vpl011.lock};
    vpl011_flush(d.vpl011, d.vpl011.output);
    if (d.vpl011.rx_dropped != 0)
        log("keel: d{}: vpl011: {} input byte(s) dropped (receive FIFO full)\n", d.id,
            d.vpl011.rx_dropped);
    d.has_vpl011 = false;
}

uint32_t vpl011_rx_room(Domain& d)
{
    LockGuard guard{d.vpl011.lock};
    return kVpl011RxFifoSize - d.vpl011.rx_count;
}

bool vpl011_input(Domain& d, char c)
{
    Vpl011Effects fx;
    {
        LockGuard guard{d.vpl011.lock};
        fx = vpl011_receive(d.vpl011, c);
    }
    signal(d, fx);
    return fx.ok;
}

}  // namespace keel
