// SPDX-License-Identifier: MIT
//
// tests/fuzz/fuzz_hypercall.cpp
// Harness 4: the pure parts of keel's hypercall handling with random guest
// arguments. A fake guest address space of 16 pages whose kinds the input
// chooses (RAM, read-only RAM, missing, MMIO: only RAM is readable, only
// writable RAM writable) holds a multicall list run by run_multicall through
// a table of fake and real handlers (hvm params, console lines, xen_version
// strings, runstate, memory_op argument decoding), with preemption at random
// and continuations re-executed until the call ends. Also: dispatch of random
// hypercall numbers, hvm_param get/set with any index, value and caller,
// console_line_feed on arbitrary bytes, runstate accounting over monotonic
// time, memory_op command decode and reservation checks.
// Invariants: the call ends (bounded continuations), a list entry is written
// only into writable RAM, console lines stay NUL-terminated and short, an
// hvm param index out of range is refused, runstate time adds up.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdint>
#include <cstring>

#include "core/domain/vcpu.hpp"
#include "core/hypercall/console_line.hpp"
#include "core/hypercall/hvm_params.hpp"
#include "core/hypercall/hypercall.hpp"
#include "core/hypercall/hypercall_table.hpp"
#include "core/hypercall/multicall_run.hpp"
#include "core/hypercall/runstate.hpp"
#include "core/hypercall/version_info.hpp"
#include "core/memory/memory_op_args.hpp"

using namespace keel;

namespace {

void fuzz_assert(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_hypercall: invariant broken: %s\n", what);
        __builtin_trap();
    }
}

constexpr uint64_t kBase = 0x10000;
constexpr size_t kPages = 16;
constexpr size_t kPage = 4096;

enum class PageKind : uint8_t { Ram, ReadOnly, Missing, Mmio };

// The calling domain's memory as keel's checked copy path sees it.
struct FakeGuest {
    PageKind kind[kPages] = {};
    uint8_t bytes[kPages * kPage] = {};
    uint32_t writes = 0;

    bool ok(uint64_t va, size_t len, bool write) const
    {
        if (va < kBase || len > kPages * kPage || va - kBase > kPages * kPage - len) return false;
        if (len == 0) return true;  // touches no page (and its "last byte" would lie before va)
        for (uint64_t p = (va - kBase) / kPage; p <= (va - kBase + len - 1) / kPage; ++p) {
            if (kind[p] == PageKind::Missing || kind[p] == PageKind::Mmio) return false;
            if (write && kind[p] == PageKind::ReadOnly) return false;
        }
        return true;
    }
    Result<void> read(uint64_t va, void* dst, size_t len) const
    {
        if (!ok(va, len, false)) return Errno::Fault;
        std::memcpy(dst, bytes + (va - kBase), len);
        return {};
    }
    Result<void> write(uint64_t va, const void* src, size_t len)
    {
        if (!ok(va, len, true)) return Errno::Fault;
        std::memcpy(bytes + (va - kBase), src, len);
        ++writes;
        return {};
    }
};

struct World;
World* g_world = nullptr;  // the handlers' way back to this run's state

struct World final : MulticallIo {
    FakeGuest mem;
    HvmParams hvm;
    ConsoleLine line;
    RunstateAccount runstate;
    uint64_t now = 0;
    FuzzedDataProvider* in = nullptr;

    Result<void> read(uint64_t va, xen::MulticallEntry& e) override { return mem.read(va, &e, sizeof e); }
    Result<void> write_result(uint64_t va, uint64_t result) override
    {
        return mem.write(va + offsetof(xen::MulticallEntry, result), &result, sizeof result);
    }
    Result<void> write_entry(uint64_t va, const xen::MulticallEntry& e) override { return mem.write(va, &e, sizeof e); }
    bool preempt() override { return in->remaining_bytes() > 0 && in->ConsumeIntegral<uint8_t>() < 64; }
};

void console_sink(void*, const char* text)
{
    const size_t n = std::strlen(text);
    fuzz_assert(n < kConsoleLineMax, "console line bounded and terminated");
}

long h_add(Vcpu&, HypercallArgs& a) { return static_cast<long>(a.arg[0] + a.arg[1]); }
long h_fail(Vcpu&, HypercallArgs&) { return hc_error(Errno::NoSys); }
// Works off arg[0] (capped at 8) units with continuations, as memory_op does.
long h_slow(Vcpu& v, HypercallArgs& a)
{
    if (a.arg[0] > 1 && a.arg[0] <= 8) {
        a.arg[0] -= 1;
        return hypercall_continue(v, a);
    }
    return 5;
}
long h_hvm(Vcpu&, HypercallArgs& a)
{
    const uint32_t index = static_cast<uint32_t>(a.arg[1]);
    const bool self = (a.arg[3] & 1) != 0;
    if (a.arg[0] & 1) {
        auto r = hvm_param_set(g_world->hvm, index, a.arg[2], self);
        if (r.ok()) fuzz_assert(index < xen::kHvmNrParams, "set only in range");
        return r.ok() ? 0 : hc_error(r.error());
    }
    auto r = hvm_param_get(g_world->hvm, index, self);
    if (r.ok()) fuzz_assert(index < xen::kHvmNrParams, "get only in range");
    return r.ok() ? static_cast<long>(r.value()) : hc_error(r.error());
}
// console_io(write, count, buffer): bytes copied from guest memory in chunks.
long h_console(Vcpu&, HypercallArgs& a)
{
    const uint64_t count = a.arg[1] & 0x3fff;
    char chunk[128];
    for (uint64_t done = 0; done < count;) {
        const size_t n = count - done < sizeof chunk ? static_cast<size_t>(count - done) : sizeof chunk;
        if (!g_world->mem.read(a.arg[2] + done, chunk, n).ok()) return hc_error(Errno::Fault);
        console_line_feed(g_world->line, chunk, n, console_sink, nullptr);
        done += n;
    }
    return static_cast<long>(count);
}
// xen_version(cmd, buffer): a string of the guest's chosen length written back.
long h_version(Vcpu&, HypercallArgs& a)
{
    char s[1024];
    const uint64_t len = a.arg[0] % (sizeof s + 1);
    std::memset(s, 0x5a, sizeof s);
    xen_fill_string(s, len, (a.arg[0] & 0x400) != 0 ? kXenCapabilities : kXenDenied);
    if (len != 0) fuzz_assert(std::memchr(s, '\0', len) != nullptr, "filled string terminated within len");
    for (size_t i = len; i < sizeof s; ++i) fuzz_assert(s[i] == 0x5a, "nothing written past len");
    DomainFeatures f{(a.arg[1] & 1) != 0, (a.arg[1] & 2) != 0};
    (void)xen_feature_submap0(f);
    return g_world->mem.write(a.arg[2], s, len).ok() ? 0 : hc_error(Errno::Fault);
}
long h_runstate(Vcpu&, HypercallArgs& a)
{
    g_world->now += a.arg[0] & 0xffff'ffff;
    runstate_change(g_world->runstate, static_cast<xen::Runstate>(a.arg[1] % xen::kNrRunstates), g_world->now);
    const xen::VcpuRunstateInfo info = runstate_info(g_world->runstate);
    uint64_t sum = 0;
    for (uint64_t t : info.time) sum += t;
    fuzz_assert(sum <= g_world->now, "runstate time never exceeds elapsed time");
    return 0;
}
long h_memop(Vcpu&, HypercallArgs& a)
{
    const MemopCmd c = decode_memop(a.arg[0]);
    fuzz_assert(decode_memop(encode_memop(c.op, c.start)).op == c.op, "memop cmd round trip");
    xen::MemoryReservation r{};
    if (!g_world->mem.read(a.arg[1], &r, sizeof r).ok()) return hc_error(Errno::Fault);
    const uint16_t self = static_cast<uint16_t>(a.arg[2] % 8 + 1);
    const bool accepted = reservation_accepted(r, c.start, self);
    if (accepted) {
        fuzz_assert(domid_is_self(r.domid, self), "a reservation for another domain refused");
        fuzz_assert(r.extent_order <= kDomuMaxOrder, "order bounded");
        fuzz_assert(r.nr_extents <= kMaxReservationExtents, "extents bounded");
    }
    return accepted ? static_cast<long>(r.nr_extents) : static_cast<long>(c.start);
}

constexpr HypercallHandlers kHandlers{
    /*platform_op*/ h_fail, /*memory_op*/ h_memop,  /*multicall*/ h_fail, /*xen_version*/ h_version,
    /*console_io*/ h_console, /*grant_table_op*/ h_add, /*vm_assist*/ h_add, /*vcpu_op*/ h_runstate,
    /*sched_op*/ h_slow,    /*event_channel_op*/ h_add, /*hvm_op*/ h_hvm, /*sysctl*/ h_fail,
    /*domctl*/ h_fail,      /*hypfs_op*/ h_fail};
constexpr HypercallTable kTable = make_hypercall_table(kHandlers);
constexpr HypercallTable kEntries = without_multicall(kTable, multicall_nested);

uint64_t pick_op(FuzzedDataProvider& in)
{
    static constexpr uint64_t kOps[] = {12, 13, 17, 18, 20, 21, 24, 29, 32, 34, 35, 63, 64, 1000};
    return in.ConsumeBool() ? kOps[in.ConsumeIntegralInRange<size_t>(0, sizeof kOps / sizeof kOps[0] - 1)]
                            : in.ConsumeIntegral<uint64_t>();
}

uint64_t pick_va(FuzzedDataProvider& in)
{
    return in.ConsumeBool() ? kBase + in.ConsumeIntegralInRange<uint64_t>(0, kPages * kPage) : in.ConsumeIntegral<uint64_t>();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FuzzedDataProvider in{data, size};
    static World w;
    w.~World();
    new (&w) World{};
    w.in = &in;
    g_world = &w;
    Vcpu v;

    for (auto& k : w.mem.kind) k = static_cast<PageKind>(in.ConsumeIntegralInRange<uint8_t>(0, 3));
    // A list of entries at a chosen place: ops and arguments from the input.
    const uint64_t list = kBase + in.ConsumeIntegralInRange<uint64_t>(0, kPages * kPage - 1);
    const uint32_t nr = in.ConsumeIntegralInRange<uint32_t>(0, 40);
    for (uint32_t i = 0; i < nr; ++i) {
        xen::MulticallEntry e{};
        e.op = pick_op(in);
        for (auto& x : e.args) x = in.ConsumeBool() ? pick_va(in) : in.ConsumeIntegral<uint64_t>() % 64;
        const uint64_t at = list + i * sizeof e;
        if (at - kBase + sizeof e <= sizeof w.mem.bytes) std::memcpy(w.mem.bytes + (at - kBase), &e, sizeof e);
    }
    // Some bytes (console text, reservations) in the rest of memory.
    const std::string fill = in.ConsumeRandomLengthString(512);
    std::memcpy(w.mem.bytes + (kPages - 1) * kPage, fill.data(), fill.size());

    HypercallArgs a;
    a.arg[0] = in.ConsumeBool() ? list : in.ConsumeIntegral<uint64_t>();
    a.arg[1] = in.ConsumeBool() ? nr : in.ConsumeIntegral<uint64_t>();
    int rounds = 0;
    for (;;) {
        a.preempted_continuation = false;
        (void)run_multicall(v, a, kEntries, w);
        if (!a.preempted_continuation) break;
        fuzz_assert(++rounds < 2000, "a multicall ends");
    }

    // Single calls through the full table, any number.
    for (int i = 0; i < 8 && in.remaining_bytes() > 0; ++i) {
        HypercallArgs b;
        for (auto& x : b.arg) x = in.ConsumeBool() ? pick_va(in) : in.ConsumeIntegral<uint64_t>() % 64;
        const uint64_t nrc = pick_op(in);
        (void)hypercall_name(kTable, nrc);
        int r2 = 0;
        long rc;
        do {
            b.preempted_continuation = false;
            rc = nrc == 13 ? multicall_nested(v, b) : dispatch_hypercall(kTable, v, nrc, b);
            fuzz_assert(++r2 < 100, "a hypercall ends");
        } while (b.preempted_continuation);
        if (nrc >= xen::kNrHypercalls) fuzz_assert(rc == hc_error(Errno::NoSys), "unknown number is -ENOSYS");
    }
    // Arbitrary console bytes straight into the line assembler.
    const std::string raw = in.ConsumeRemainingBytesAsString();
    console_line_feed(w.line, raw.data(), raw.size(), console_sink, nullptr);
    fuzz_assert(w.line.len < kConsoleLineMax, "partial line bounded");
    return 0;
}
