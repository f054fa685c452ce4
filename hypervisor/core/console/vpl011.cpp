// SPDX-License-Identifier: MIT
//
// core/console/vpl011.cpp
// Owns the vPL011 register model: what each guest access does to a
// Vpl011State, the receive FIFO, output line assembly, and when the interrupt
// line rises. Pure (host-tested); printing and the vGIC are the caller's.
//
// Behaviour follows Xen's vpl011 with its backend in the hypervisor
// (xen/arch/arm/vpl011.c, facts only):
//  - UARTFR: TXFE always set, TXFF and BUSY never (output is consumed at once);
//    RXFE/RXFF from the receive FIFO.
//  - Every write to UARTDR sets TXRIS; UARTICR clears it.
//  - An input byte sets RTRIS (data waiting; no timing is emulated) and, from
//    half full on, RXRIS. Reading UARTDR clears RTRIS when the FIFO empties
//    and RXRIS below half full. A read of an empty FIFO returns 0.
//  - UARTRSR reads 0 (no line errors) and ignores writes; UARTICR is write-only
//    (a read is refused, as Xen does); UARTFR/RIS/MIS ignore writes; other
//    offsets read as zero and ignore writes. Byte, halfword and word accesses
//    are allowed, a doubleword access is refused.
//  - The interrupt is level-sensitive: `level` is (RIS & IMSC) != 0 after every
//    operation, `raise` is set whenever a bit of MIS appears that was not set
//    when the line was last evaluated (Xen's rule, so a new cause is signalled
//    even while the level stays high), and `lower` when MIS becomes zero. keel's
//    vGIC tracks the level (vgic_set_line): unlike Xen, the SPI stops pending
//    once the guest clears its cause, and is pending again after the guest's
//    EOI while a cause remains.
#include "core/console/vpl011.hpp"

namespace keel {
namespace {

using namespace vpl011;

constexpr uint64_t kRegMask = ~uint64_t{3};

Vpl011Effects evaluate(Vpl011State& s, bool ok = true)
{
    const uint32_t mis = s.ris & s.imsc;
    Vpl011Effects fx;
    fx.ok = ok;
    fx.raise = (mis & ~s.mis_signalled) != 0;
    fx.lower = mis == 0 && s.mis_signalled != 0;
    fx.level = mis != 0;
    s.mis_signalled = mis;
    return fx;
}

void emit_line(Vpl011State& s, const Vpl011Output& out)
{
    uint32_t len = s.line_len;
    while (len > 0 && s.line[len - 1] == '\r') --len;  // "\r\n" endings
    if (out.line != nullptr) out.line(out.ctx, s.line, len);
    s.line_len = 0;
}

// The domain has the console: its output goes through as written (a shell
// prompt has no newline), after whatever was buffered before. Out of line: `&c`
// would otherwise give every register access a stack-protector frame.
[[gnu::noinline]] void transmit_raw(Vpl011State& s, char c, const Vpl011Output& out)
{
    if (s.line_len != 0 && out.raw != nullptr) out.raw(out.ctx, s.line, s.line_len);
    s.line_len = 0;
    if (out.raw != nullptr) out.raw(out.ctx, &c, 1);
}

void transmit(Vpl011State& s, char c, bool focused, const Vpl011Output& out)
{
    if (focused) {
        transmit_raw(s, c, out);
        return;
    }
    if (c == '\n') {
        emit_line(s, out);
        return;
    }
    if (c == '\0') return;  // would end the printed text early
    if (s.line_len == kVpl011LineMax) emit_line(s, out);  // split an over-long line
    s.line[s.line_len++] = c;
}

uint8_t pop_rx(Vpl011State& s)
{
    if (s.rx_count == 0) return 0;
    const uint8_t c = s.rx[s.rx_head];
    s.rx_head = (s.rx_head + 1) % kVpl011RxFifoSize;
    --s.rx_count;
    if (s.rx_count == 0) s.ris &= ~kIntRt;
    if (s.rx_count < kRxTriggerLevel) s.ris &= ~kIntRx;
    return c;
}

// A whole-register read; `consume` is false for a read that does not cover
// UARTDR's data byte (it must not pop the FIFO).
uint32_t read_reg(Vpl011State& s, uint64_t reg, bool consume)
{
    switch (reg) {
    case kDr: return consume ? pop_rx(s) : 0;
    case kRsr: return 0;
    case kFr: return vpl011_flags(s);
    case kImsc: return s.imsc;
    case kRis: return s.ris;
    case kMis: return s.ris & s.imsc;
    default: return 0;
    }
}

}  // namespace

void vpl011_reset(Vpl011State& s)
{
    s.imsc = 0;
    s.ris = 0;
    s.mis_signalled = 0;
    s.rx_head = 0;
    s.rx_count = 0;
    s.rx_dropped = 0;
    s.line_len = 0;
}

uint32_t vpl011_flags(const Vpl011State& s)
{
    uint32_t fr = kFrTxfe;
    if (s.rx_count == 0) fr |= kFrRxfe;
    if (s.rx_count == kVpl011RxFifoSize) fr |= kFrRxff;
    return fr;
}

Vpl011Effects vpl011_read(Vpl011State& s, MmioAccess& a)
{
    // The common case first: a driver polls UARTFR around every character it
    // sends (the general path below gives the same result).
    if (a.offset == kFr && a.size == 4) {
        a.value = vpl011_flags(s);
        return evaluate(s);
    }
    const uint64_t lane = a.offset & 3;  // byte lane within the 32-bit register
    if ((a.size != 1 && a.size != 2 && a.size != 4) || lane + a.size > 4)
        return evaluate(s, false);
    const uint64_t reg = a.offset & kRegMask;
    const uint32_t shift = static_cast<uint32_t>(lane * 8);
    const uint32_t size_mask = a.size == 4 ? ~0u : (1u << (a.size * 8)) - 1;
    if (reg == kIcr) return evaluate(s, false);  // write-only
    const uint32_t v = read_reg(s, reg, lane == 0);
    a.value = (v >> shift) & size_mask;
    return evaluate(s);
}

Vpl011Effects vpl011_access(Vpl011State& s, MmioAccess& a, bool focused, const Vpl011Output& out)
{
    if (!a.write) return vpl011_read(s, a);
    const uint64_t lane = a.offset & 3;  // byte lane within the 32-bit register
    if ((a.size != 1 && a.size != 2 && a.size != 4) || lane + a.size > 4)
        return evaluate(s, false);
    const uint64_t reg = a.offset & kRegMask;
    const uint32_t shift = static_cast<uint32_t>(lane * 8);
    const uint32_t size_mask = a.size == 4 ? ~0u : (1u << (a.size * 8)) - 1;

    const uint32_t mask = size_mask << shift;
    const uint32_t v = static_cast<uint32_t>(a.value << shift) & mask;
    switch (reg) {
    case kDr:
        if (lane == 0) {
            transmit(s, static_cast<char>(v & 0xff), focused, out);
            s.ris |= kIntTx;
        }
        break;
    case kImsc: s.imsc = ((s.imsc & ~mask) | v) & kIntAll; break;
    case kIcr: s.ris &= ~(v & kIntAll); break;
    default: break;  // RSR/ECR (nothing to clear), FR, RIS, MIS, unknown: ignored
    }
    return evaluate(s);
}

Vpl011Effects vpl011_receive(Vpl011State& s, char c)
{
    if (s.rx_count == kVpl011RxFifoSize) {
        ++s.rx_dropped;
        return evaluate(s, false);
    }
    s.rx[(s.rx_head + s.rx_count) % kVpl011RxFifoSize] = static_cast<uint8_t>(c);
    ++s.rx_count;
    s.ris |= kIntRt;
    if (s.rx_count >= kRxTriggerLevel) s.ris |= kIntRx;
    return evaluate(s);
}

void vpl011_flush(Vpl011State& s, const Vpl011Output& out)
{
    if (s.line_len != 0) emit_line(s, out);
}

}  // namespace keel
