// SPDX-License-Identifier: MIT
//
// core/hypercall/console_io.cpp
// Owns HYPERVISOR_console_io(cmd, count, buffer). Xen 4.17 marks dom0less
// domUs as console domains (d->is_console), so both sub-ops pass its XSM check:
// CONSOLEIO_write prints the bytes as that domain's lines "(d<N>) ..."
// (console_line.hpp), 127 bytes per step with a preemption check in between
// (continued with count and buffer advanced); a fault is -EFAULT. dom0's lines
// are printed as they are, without a prefix (Xen's guest_console_write for the
// hardware domain). CONSOLEIO_read returns the console input waiting for dom0
// (console_input_read_hwdom: what arrived while dom0 had the input focus); a
// domU gets its input through its vPL011 instead, so 0 bytes (count above
// INT_MAX: -E2BIG). Target only.
#include "core/console/console_mux.hpp"
#include "core/console/console_rx_ring.hpp"
#include "core/console/log.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/hypercall/console_line.hpp"
#include "core/hypercall/handlers.hpp"
#include "core/memory/guest_virt.hpp"
#include "public/xen/console.hpp"

namespace keel {
namespace {

constexpr uint32_t kChunk = 127;  // Xen's kbuf[128] minus the NUL

void print_line(void* ctx, const char* line)
{
    const auto* d = static_cast<const Domain*>(ctx);
    if (d->privileged)
        log("{}\n", line);
    else
        log("(d{}) {}\n", d->id, line);
}

// dom0's input, Xen's CONSOLEIO_read: as much as is waiting, up to count.
long console_read(Vcpu& v, HypercallArgs& a)
{
    const uint32_t count = static_cast<uint32_t>(a.arg[1]);
    if (count > 0x7fff'ffffu) return hc_error(Errno::TooBig);
    if (!v.domain->privileged) return 0;
    char buf[ConsoleRxRing::kSize];
    const size_t n = console_input_read_hwdom(buf, count < sizeof buf ? count : sizeof buf);
    console_input_resume();  // the UART may hold more back for it
    if (n != 0 && !copy_to_guest(v, GuestVirtAddr{a.arg[2]}, buf, n).ok())
        return hc_error(Errno::Fault);
    return static_cast<long>(n);
}

long console_write(Vcpu& v, HypercallArgs& a)
{
    Domain& d = *v.domain;
    uint32_t count = static_cast<uint32_t>(a.arg[1]);
    uint64_t buffer = a.arg[2];
    bool first = true;
    while (count > 0) {
        if (!first && hypercall_preempt_check()) {
            a.arg[1] = count;
            a.arg[2] = buffer;
            return hypercall_continue(v, a);
        }
        first = false;
        char chunk[kChunk];
        const uint32_t n = count < kChunk ? count : kChunk;
        if (!copy_from_guest(v, chunk, GuestVirtAddr{buffer}, n).ok()) return hc_error(Errno::Fault);
        {
            LockGuard guard{d.hc.console_lock};
            console_line_feed(d.hc.console, chunk, n, print_line, &d);
        }
        buffer += n;
        count -= n;
    }
    return 0;
}

}  // namespace

long do_console_io(Vcpu& v, HypercallArgs& a)
{
    switch (static_cast<xen::ConsoleIo>(static_cast<uint32_t>(a.arg[0]))) {
    case xen::ConsoleIo::Write: return console_write(v, a);
    case xen::ConsoleIo::Read: return console_read(v, a);
    }
    return hc_error(Errno::NoSys);
}

}  // namespace keel
