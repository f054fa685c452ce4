// SPDX-License-Identifier: MIT
//
// guests/conformance/main.cpp
// The Xen ABI conformance guest: one domU (1 vCPU, no xen,enhanced) that calls
// every hypercall a Linux domU or dom0 uses (../shared/docs/xen-arm-guest-abi.md
// §1.7, §2.2) with valid arguments and with hostile ones (NULL, unaligned,
// straddling the end of RAM, pointing at MMIO or the grant window, huge counts,
// bad ports/refs/vCPUs, other and absent domains), and prints one line per call:
//     <op> <subop> <args> -> <result> [outputs]
// Every printed value is meant to be the same on every run of one hypervisor (no
// machine addresses, no times), so the transcript on keel can be diffed against
// the one recorded on Xen 4.17 (tests/xen/conformance.xen-4.17.txt; the scenario
// tests/scenarios/xen-conformance). Lines stay below 120 characters (Xen's
// vPL011 splits longer ones). Order matters: the 2-level event-channel tests
// run before EVTCHNOP_init_control switches the domain to FIFO for good.
// Ends with "CONFORMANCE-DONE" and SCHEDOP_shutdown(poweroff) (PSCI SYSTEM_OFF
// if that returns).
#include <cstdarg>
#include <initializer_list>

#include "guest.hpp"
#include "xen.hpp"

using namespace guest;
using namespace guest::xen;
namespace x = guest::xa;

namespace {

// ---- pages (BSS, page aligned); the guest's RAM starts at 0x40000000
enum Page : uint32_t {
    kShinfo,      // shared_info, first mapping (RAM underneath, as Linux does)
    kShinfo2,     // a second mapping attempt
    kVcpuInfo,    // VCPUOP_register_vcpu_info
    kRunstate,    // VCPUOP_register_runstate_memory_area
    kBuf,         // scratch buffer for strings and structs
    kHole,        // decrease_reservation / populate_physmap
    kMapTarget,   // decreased: where grants are mapped
    kMapTarget2,  // decreased: a second target
    kGranted,     // a page this domain grants to itself
    kCopyDst,     // GNTTABOP_copy destination
    kRemove,      // remove_from_physmap of a RAM page
    kFifoCb,      // FIFO control block
    kFifoArray,   // FIFO event array page 0
    kMulticall,   // multicall entry lists
    kSpare,       // grant map over occupied RAM
    kNrPages
};
alignas(4096) constinit uint8_t g_pages[kNrPages][4096] = {};

uint8_t* page(Page p) { return g_pages[p]; }
/// A typed view of guest memory (the pages are 4 KiB aligned; offsets keep alignment).
template <typename T>
T* as(void* p)
{
    return static_cast<T*>(p);
}
template <typename T>
T* as(uint64_t addr)
{
    return static_cast<T*>(reinterpret_cast<void*>(addr));
}
uint64_t pgfn(Page p) { return gfn_of(g_pages[p]); }
uint64_t pgpa(Page p) { return ptr(g_pages[p]); }

constexpr uint64_t kGnttabGfn = keel::xen::kGuestGnttabBase >> 12;  // grant frames mapped here
constexpr uint64_t kVpl011 = 0x22000000;                            // MMIO: GUEST_PL011_BASE
constexpr uint64_t kGicd = 0x03001000;                              // MMIO: GUEST_GICV3_GICD_BASE
constexpr uint64_t kHighVa = 0xffff800000000000ull;                 // no RAM there, MMU off
constexpr uint64_t kBeyondIpa = 0x0000010000000000ull;              // 1 TiB: beyond any guest IPA

constinit uint64_t g_ram_end = 0;
constinit uint16_t g_self = 0;  // this domain's id (dom0less: 1 for the first domU)
constinit bool g_vcpu_info_ok = false;  // VCPUOP_register_vcpu_info at kVcpuInfo + 64 worked

// ---- output
void put_rc(long rc)
{
    if (rc > -100000 && rc < 100000) {
        print("%ld", rc);
    } else {
        print("0x%lx", static_cast<unsigned long>(rc));
    }
}

/// "<what> -> <rc>" and a newline.
long out(long rc, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
long out(long rc, const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    puts(" -> ");
    put_rc(rc);
    putc('\n');
    return rc;
}

/// "<what> -> <rc>" without the newline: the caller prints outputs, then "\n".
long outm(long rc, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
long outm(long rc, const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    puts(" -> ");
    put_rc(rc);
    return rc;
}

void section(const char* name) { print("== %s\n", name); }

/// Prints at most `max` printable characters of `s` (others as '.').
void put_str(const char* s, uint32_t max)
{
    putc('"');
    for (uint32_t i = 0; i < max && s[i] != '\0'; ++i) putc(s[i] >= 32 && s[i] < 127 ? s[i] : '.');
    putc('"');
}

void zero(void* p, uint64_t n)
{
    auto* b = static_cast<volatile uint8_t*>(p);
    for (uint64_t i = 0; i < n; ++i) b[i] = 0;
}

void fill(Page p, uint8_t seed)
{
    for (uint32_t i = 0; i < 4096; ++i) g_pages[p][i] = static_cast<uint8_t>(seed + i * 7);
}

bool check(const volatile uint8_t* b, uint8_t seed, uint32_t off, uint32_t len)
{
    for (uint32_t i = off; i < off + len; ++i)
        if (b[i] != static_cast<uint8_t>(seed + i * 7)) return false;
    return true;
}

// Hostile pointers used for every struct-taking call that is probed with them.
struct BadPtr {
    const char* name;
    uint64_t addr;
};
constinit BadPtr g_bad[8] = {};
constinit uint32_t g_nbad = 0;

void init_bad_pointers(bool with_gnttab)
{
    g_nbad = 0;
    g_bad[g_nbad++] = {"null", 0};
    g_bad[g_nbad++] = {"mmio-uart", kVpl011};
    g_bad[g_nbad++] = {"mmio-gicd", kGicd};
    g_bad[g_nbad++] = {"ram-end-straddle", g_ram_end - 1};
    g_bad[g_nbad++] = {"beyond-ram", g_ram_end};
    g_bad[g_nbad++] = {"high-va", kHighVa};
    g_bad[g_nbad++] = {"beyond-ipa", kBeyondIpa};
    if (with_gnttab) g_bad[g_nbad++] = {"grant-window", keel::xen::kGuestGnttabBase + 4096 - 64};
}

// ---- sections

void unknown_hypercalls()
{
    section("unknown hypercall numbers");
    static constexpr uint64_t kNrs[] = {0,  1,  2,  3,  4,  5,  6,  8,  9,  10, 11, 14, 15, 16, 19, 22,
                                        23, 25, 26, 28, 30, 31, 37, 38, 40, 43, 48, 55, 56, 63, 64, 65,
                                        0xffff, 0xffffffff, ~uint64_t{0}};
    for (uint64_t nr : kNrs) out(hypercall(nr, 0, 0, 0, 0, 0), "hypercall nr=0x%lx args=0", static_cast<unsigned long>(nr));
}

void xen_version_tests()
{
    section("xen_version");
    char* buf = as<char>(page(kBuf));
    long rc = xen_version(x::kXenverVersion, nullptr);
    out(rc, "xen_version version");
    zero(buf, 4096);
    rc = outm(xen_version(x::kXenverExtraversion, buf), "xen_version extraversion");
    puts(" s=");
    put_str(buf, 16);
    putc('\n');
    zero(buf, 4096);
    rc = outm(xen_version(x::kXenverCompileInfo, buf), "xen_version compile_info");
    print(" compiler-set=%d\n", buf[0] != '\0' ? 1 : 0);
    zero(buf, 4096);
    rc = outm(xen_version(x::kXenverCapabilities, buf), "xen_version capabilities");
    puts(" s=");
    put_str(buf, 64);
    putc('\n');
    zero(buf, 4096);
    rc = outm(xen_version(x::kXenverChangeset, buf), "xen_version changeset");
    print(" set=%d\n", buf[0] != '\0' ? 1 : 0);
    zero(buf, 4096);
    rc = outm(xen_version(x::kXenverPlatformParameters, buf), "xen_version platform_parameters");
    print(" virt_start=0x%lx\n", static_cast<unsigned long>(*as<volatile uint64_t>(buf)));
    for (uint32_t idx : {0u, 1u, 2u, 0xffffffffu}) {
        auto* fi = as<volatile x::FeatureInfo>(buf);
        fi->submap_idx = idx;
        fi->submap = 0xdeadbeef;
        rc = outm(xen_version(x::kXenverGetFeatures, buf), "xen_version get_features idx=%u", idx);
        print(" submap=0x%x\n", fi->submap);
    }
    out(xen_version(x::kXenverPagesize, nullptr), "xen_version pagesize");
    zero(buf, 4096);
    rc = outm(xen_version(x::kXenverGuestHandle, buf), "xen_version guest_handle");
    print(" handle-zero=%d\n", [&] {
        for (int i = 0; i < 16; ++i)
            if (buf[i] != 0) return 0;
        return 1;
    }());
    zero(buf, 4096);
    out(xen_version(x::kXenverCommandline, buf), "xen_version commandline");
    zero(buf, 4096);
    as<volatile uint32_t>(buf)[0] = 1024;
    out(xen_version(x::kXenverBuildId, buf), "xen_version build_id len=1024");
    for (uint64_t cmd : {uint64_t{11}, uint64_t{12}, uint64_t{13}, uint64_t{14}, uint64_t{15}, uint64_t{64}, uint64_t{0x7fffffff}, ~uint64_t{0}})
        out(xen_version(cmd, buf), "xen_version cmd=0x%lx", static_cast<unsigned long>(cmd));
    (void)rc;

    // Hostile buffers for a string op and for get_features (copied in and out).
    init_bad_pointers(false);
    for (uint32_t i = 0; i < g_nbad; ++i)
        out(hypercall(x::kHcXenVersion, x::kXenverExtraversion, g_bad[i].addr), "xen_version extraversion ptr=%s",
            g_bad[i].name);
    for (uint32_t i = 0; i < g_nbad; ++i)
        out(hypercall(x::kHcXenVersion, x::kXenverGetFeatures, g_bad[i].addr), "xen_version get_features ptr=%s",
            g_bad[i].name);
    // Unaligned struct: byte accesses only (the MMU is off, memory is Device).
    volatile char* ub = buf;
    for (int i = 0; i < 16; ++i) ub[i] = 0;
    rc = outm(hypercall(x::kHcXenVersion, x::kXenverGetFeatures, ptr(buf + 1)), "xen_version get_features ptr=unaligned");
    uint32_t submap = 0;
    for (int i = 3; i >= 0; --i) submap = (submap << 8) | static_cast<uint8_t>(ub[5 + i]);
    print(" submap=0x%x\n", submap);
}

long add_to_physmap(uint16_t domid, uint32_t space, uint64_t idx, uint64_t gpfn)
{
    x::AddToPhysmap a{};
    a.domid = domid;
    a.space = space;
    a.idx = idx;
    a.gpfn = gpfn;
    return memory_op(x::kMemAddToPhysmap, &a);
}

long remove_from_physmap(uint16_t domid, uint64_t gpfn)
{
    x::RemoveFromPhysmap r{};
    r.domid = domid;
    r.gpfn = gpfn;
    return memory_op(x::kMemRemoveFromPhysmap, &r);
}

long reservation(uint64_t cmd, uint64_t list, uint64_t nr, uint32_t order, uint16_t domid)
{
    x::MemoryReservation r{};
    r.extent_start = list;
    r.nr_extents = nr;
    r.extent_order = order;
    r.domid = domid;
    return memory_op(cmd, &r);
}

long dom_query(uint64_t cmd, uint16_t domid)
{
    volatile uint16_t d = domid;
    return memory_op(cmd, const_cast<uint16_t*>(&d));
}

void memory_tests()
{
    section("memory_op");
    // shared_info: the first mapping replaces the RAM page at kShinfo (what Linux does).
    out(add_to_physmap(x::kDomidSelf, x::kMapspaceSharedInfo, 1, pgfn(kShinfo2)),
        "memory_op add_to_physmap shared_info idx=1");
    out(add_to_physmap(2, x::kMapspaceSharedInfo, 0, pgfn(kShinfo2)), "memory_op add_to_physmap shared_info dom=2");
    out(add_to_physmap(0, x::kMapspaceSharedInfo, 0, pgfn(kShinfo2)), "memory_op add_to_physmap shared_info dom=0");
    out(add_to_physmap(x::kDomidXen, x::kMapspaceSharedInfo, 0, pgfn(kShinfo2)),
        "memory_op add_to_physmap shared_info dom=xen");
    out(map_shared_info(page(kShinfo)), "memory_op add_to_physmap shared_info idx=0 gpfn=ram");
    keel::xen::SharedInfo* si = shared_info();
    if (si == nullptr) {
        print("shared_info not mapped\n");
    } else {
        print("shared_info mask0=0x%lx pending0=0x%lx upcall_pending=%u\n",
              static_cast<unsigned long>(si->evtchn_mask[0]), static_cast<unsigned long>(si->evtchn_pending[0]),
              si->vcpu_info[0].evtchn_upcall_pending);
    }
    out(add_to_physmap(g_self, x::kMapspaceSharedInfo, 0, pgfn(kShinfo2)),
        "memory_op add_to_physmap shared_info again dom=self-id gpfn=ram2");
    out(remove_from_physmap(x::kDomidSelf, pgfn(kShinfo2)), "memory_op remove_from_physmap gpfn=ram2");
    out(add_to_physmap(x::kDomidSelf, x::kMapspaceSharedInfo, 0, kBeyondIpa >> 12),
        "memory_op add_to_physmap shared_info gpfn=beyond-ipa");
    out(add_to_physmap(x::kDomidSelf, 99, 0, pgfn(kShinfo2)), "memory_op add_to_physmap space=99");
    out(add_to_physmap(x::kDomidSelf, x::kMapspaceGmfn, pgfn(kBuf), pgfn(kShinfo2)),
        "memory_op add_to_physmap space=gmfn");
    out(add_to_physmap(x::kDomidSelf, x::kMapspaceGmfnForeign, 0, pgfn(kShinfo2)),
        "memory_op add_to_physmap space=gmfn_foreign");
    out(add_to_physmap(x::kDomidSelf, x::kMapspaceDevMmio, kVpl011 >> 12, 0x10000000 >> 12),
        "memory_op add_to_physmap space=dev_mmio");

    // Grant-table frames in the (here unused) grant window 0x38000000.
    const long gt0 = out(add_to_physmap(x::kDomidSelf, x::kMapspaceGrantTable, 0, kGnttabGfn),
                         "memory_op add_to_physmap grant_table idx=0");
    out(add_to_physmap(x::kDomidSelf, x::kMapspaceGrantTable, 1, kGnttabGfn + 1),
        "memory_op add_to_physmap grant_table idx=1");
    out(add_to_physmap(x::kDomidSelf, x::kMapspaceGrantTable, 64, kGnttabGfn + 64),
        "memory_op add_to_physmap grant_table idx=64");
    out(add_to_physmap(x::kDomidSelf, x::kMapspaceGrantTable, 1000000, kGnttabGfn + 2),
        "memory_op add_to_physmap grant_table idx=1000000");
    out(add_to_physmap(x::kDomidSelf, x::kMapspaceGrantTable, x::kMapidxGrantTableStatus, kGnttabGfn + 2),
        "memory_op add_to_physmap grant_table idx=status0");
    out(add_to_physmap(x::kDomidSelf, x::kMapspaceGrantTable, 1, kGnttabGfn + 1),
        "memory_op add_to_physmap grant_table idx=1 again same gpfn");
    if (gt0 == 0) grant_table_at(keel::xen::kGuestGnttabBase);
    print("grant frame0 entry0 flags=0x%x entry1 flags=0x%x\n", grant_flags(0), grant_flags(1));

    // Reservations.
    out(dom_query(x::kMemCurrentReservation, x::kDomidSelf), "memory_op current_reservation dom=self");
    out(dom_query(x::kMemCurrentReservation, g_self), "memory_op current_reservation dom=self-id");
    out(dom_query(x::kMemCurrentReservation, 2), "memory_op current_reservation dom=2");
    out(dom_query(x::kMemCurrentReservation, 0), "memory_op current_reservation dom=0");
    out(dom_query(x::kMemMaximumReservation, x::kDomidSelf), "memory_op maximum_reservation dom=self");
    out(dom_query(x::kMemMaximumReservation, 2), "memory_op maximum_reservation dom=2");
    out(dom_query(x::kMemMaximumGpfn, x::kDomidSelf), "memory_op maximum_gpfn dom=self");
    out(dom_query(x::kMemMaximumGpfn, 2), "memory_op maximum_gpfn dom=2");
    out(memory_op(x::kMemMaximumRamPage, nullptr), "memory_op maximum_ram_page");
    init_bad_pointers(true);
    for (uint32_t i = 0; i < g_nbad; ++i)
        out(hypercall(x::kHcMemoryOp, x::kMemCurrentReservation, g_bad[i].addr), "memory_op current_reservation ptr=%s",
            g_bad[i].name);

    // decrease / populate.
    volatile uint64_t* list = as<volatile uint64_t>(page(kBuf));
    list[0] = pgfn(kHole);
    out(reservation(x::kMemDecreaseReservation, ptr(list), 1, 0, x::kDomidSelf), "memory_op decrease_reservation n=1 gfn=ram");
    out(reservation(x::kMemDecreaseReservation, ptr(list), 1, 0, x::kDomidSelf), "memory_op decrease_reservation n=1 gfn=hole");
    out(dom_query(x::kMemCurrentReservation, x::kDomidSelf), "memory_op current_reservation dom=self after-decrease");
    list[0] = pgfn(kMapTarget);
    list[1] = pgfn(kMapTarget2);
    out(reservation(x::kMemDecreaseReservation, ptr(list), 2, 0, x::kDomidSelf), "memory_op decrease_reservation n=2 gfn=ram");
    list[0] = kVpl011 >> 12;
    out(reservation(x::kMemDecreaseReservation, ptr(list), 1, 0, x::kDomidSelf), "memory_op decrease_reservation gfn=mmio-uart");
    list[0] = kBeyondIpa >> 12;
    out(reservation(x::kMemDecreaseReservation, ptr(list), 1, 0, x::kDomidSelf), "memory_op decrease_reservation gfn=beyond-ipa");
    list[0] = pgfn(kHole);
    out(reservation(x::kMemDecreaseReservation, ptr(list), 1, 0, 2), "memory_op decrease_reservation dom=2");
    out(reservation(x::kMemDecreaseReservation, ptr(list), 1, 40, x::kDomidSelf), "memory_op decrease_reservation order=40");
    out(reservation(x::kMemDecreaseReservation, 0, 1, 0, x::kDomidSelf), "memory_op decrease_reservation list=null");
    out(reservation(x::kMemDecreaseReservation, ptr(list), 0, 0, x::kDomidSelf), "memory_op decrease_reservation n=0");
    out(reservation(x::kMemDecreaseReservation, kVpl011, 1, 0, x::kDomidSelf), "memory_op decrease_reservation list=mmio-uart");
    list[0] = pgfn(kHole);
    out(reservation(x::kMemPopulatePhysmap, ptr(list), 1, 0, x::kDomidSelf), "memory_op populate_physmap n=1 gfn=hole");
    out(reservation(x::kMemPopulatePhysmap, ptr(list), 1, 0, x::kDomidSelf), "memory_op populate_physmap n=1 gfn=ram");
    volatile uint8_t* hole = page(kHole);
    expect_fault();
    hole[0] = 0x5a;
    const bool wrote = hole[0] == 0x5a;
    const FaultRecord hf = take_fault();
    print("populated page writable=%d\n", wrote && !hf.taken ? 1 : 0);
    list[0] = pgfn(kMapTarget);
    out(reservation(x::kMemPopulatePhysmap, ptr(list), 1, 0, 2), "memory_op populate_physmap dom=2");
    // Never populate the grant-map targets again: only gfns beyond the IPA space here.
    list[0] = kBeyondIpa >> 12;
    list[1] = kBeyondIpa >> 12;
    out(reservation(x::kMemPopulatePhysmap, ptr(list), 1, 9, x::kDomidSelf), "memory_op populate_physmap order=9 gfn=beyond-ipa");
    out(reservation(x::kMemPopulatePhysmap, 0, 1, 0, x::kDomidSelf), "memory_op populate_physmap list=null");
    out(reservation(x::kMemPopulatePhysmap, ptr(list), 1ull << 40, 0, x::kDomidSelf),
        "memory_op populate_physmap n=2^40 gfn=beyond-ipa");
    out(reservation(x::kMemDecreaseReservation, ptr(list), 1ull << 40, 0, x::kDomidSelf),
        "memory_op decrease_reservation n=2^40 gfn=beyond-ipa");
    list[0] = pgfn(kMapTarget);
    out(reservation(x::kMemIncreaseReservation, ptr(list), 1, 0, x::kDomidSelf), "memory_op increase_reservation n=1");

    // remove_from_physmap of a RAM page and of a hole.
    out(remove_from_physmap(x::kDomidSelf, pgfn(kRemove)), "memory_op remove_from_physmap gpfn=ram");
    out(remove_from_physmap(x::kDomidSelf, pgfn(kRemove)), "memory_op remove_from_physmap gpfn=hole");
    out(remove_from_physmap(2, pgfn(kBuf)), "memory_op remove_from_physmap dom=2");
    out(remove_from_physmap(x::kDomidSelf, kBeyondIpa >> 12), "memory_op remove_from_physmap gpfn=beyond-ipa");
    list[0] = pgfn(kRemove);
    out(reservation(x::kMemPopulatePhysmap, ptr(list), 1, 0, x::kDomidSelf), "memory_op populate_physmap gfn=removed");

    // Commands a domU has no business with, and bogus ones.
    for (uint64_t cmd : {x::kMemMachphysMfnList, x::kMemMemoryMap, x::kMemMachineMemoryMap, x::kMemExchange,
                         uint64_t{16}, uint64_t{17}, x::kMemClaimPages, x::kMemGetVnumainfo, x::kMemAcquireResource,
                         uint64_t{29}, uint64_t{30}, uint64_t{63}})
        out(memory_op(cmd, nullptr), "memory_op cmd=%lu ptr=null", static_cast<unsigned long>(cmd));
    zero(page(kBuf), 4096);
    out(memory_op(x::kMemAcquireResource, page(kBuf)), "memory_op acquire_resource zero");
    // XENMEM_add_to_physmap_batch: gmfn_foreign from an absent domain, and a bad space.
    volatile uint64_t* arrays = as<volatile uint64_t>(page(kBuf) + 2048);
    arrays[0] = 0x40000;               // idxs[0]
    arrays[1] = pgfn(kMapTarget);      // gpfns[0]
    arrays[2] = 0x7777;                // errs[0] (int)
    x::AddToPhysmapBatch b{};
    b.domid = x::kDomidSelf;
    b.space = x::kMapspaceGmfnForeign;
    b.size = 1;
    b.foreign_domid = 2;
    b.idxs = ptr(&arrays[0]);
    b.gpfns = ptr(&arrays[1]);
    b.errs = ptr(&arrays[2]);
    outm(memory_op(x::kMemAddToPhysmapBatch, &b), "memory_op add_to_physmap_batch gmfn_foreign dom=2");
    print(" err0=%d\n", static_cast<int>(static_cast<uint32_t>(arrays[2])));
    arrays[2] = 0x7777;
    b.foreign_domid = g_self;
    outm(memory_op(x::kMemAddToPhysmapBatch, &b), "memory_op add_to_physmap_batch gmfn_foreign dom=self-id");
    print(" err0=%d\n", static_cast<int>(static_cast<uint32_t>(arrays[2])));
    arrays[2] = 0x7777;
    b.space = x::kMapspaceSharedInfo;
    outm(memory_op(x::kMemAddToPhysmapBatch, &b), "memory_op add_to_physmap_batch space=shared_info");
    print(" err0=%d\n", static_cast<int>(static_cast<uint32_t>(arrays[2])));
    for (uint64_t cmd : {uint64_t{99}, uint64_t{0x3f}, (uint64_t{1} << 6) | x::kMemCurrentReservation,
                         ~uint64_t{0}})
        out(memory_op(cmd, page(kBuf)), "memory_op cmd=0x%lx", static_cast<unsigned long>(cmd));
}

void vcpu_tests()
{
    section("vcpu_op");
    x::VcpuRegisterVcpuInfo r{};
    // Hostile first: once registered, vCPU 0 cannot register again.
    r = {pgfn(kVcpuInfo), 4096 - 40, 0};
    out(vcpu_op(x::kVcpuopRegisterVcpuInfo, 0, &r), "vcpu_op register_vcpu_info offset=4056 (crosses page)");
    r = {pgfn(kVcpuInfo), 3, 0};
    out(vcpu_op(x::kVcpuopRegisterVcpuInfo, 0, &r), "vcpu_op register_vcpu_info offset=3 (unaligned)");
    r = {pgfn(kVcpuInfo), 0x10000, 0};
    out(vcpu_op(x::kVcpuopRegisterVcpuInfo, 0, &r), "vcpu_op register_vcpu_info offset=0x10000");
    r = {pgfn(kMapTarget), 0, 0};
    out(vcpu_op(x::kVcpuopRegisterVcpuInfo, 0, &r), "vcpu_op register_vcpu_info gfn=hole");
    r = {kVpl011 >> 12, 0, 0};
    out(vcpu_op(x::kVcpuopRegisterVcpuInfo, 0, &r), "vcpu_op register_vcpu_info gfn=mmio-uart");
    // Not gfn=grant frame: Xen 4.17 accepts it (its grant frames are p2m_ram_rw on ARM) and
    // the domain's one registration would be gone.
    r = {kBeyondIpa >> 12, 0, 0};
    out(vcpu_op(x::kVcpuopRegisterVcpuInfo, 0, &r), "vcpu_op register_vcpu_info gfn=beyond-ipa");
    r = {~uint64_t{0}, 0, 0};
    out(vcpu_op(x::kVcpuopRegisterVcpuInfo, 0, &r), "vcpu_op register_vcpu_info gfn=~0");
    r = {pgfn(kVcpuInfo), 64, 0};
    out(vcpu_op(x::kVcpuopRegisterVcpuInfo, 1, &r), "vcpu_op register_vcpu_info vcpu=1 (absent)");
    out(vcpu_op(x::kVcpuopRegisterVcpuInfo, 0x7fffffff, &r), "vcpu_op register_vcpu_info vcpu=0x7fffffff");
    out(hypercall(x::kHcVcpuOp, x::kVcpuopRegisterVcpuInfo, ~uint64_t{0}, ptr(&r)),
        "vcpu_op register_vcpu_info vcpu=~0");
    init_bad_pointers(true);
    for (uint32_t i = 0; i < g_nbad; ++i)
        out(hypercall(x::kHcVcpuOp, x::kVcpuopRegisterVcpuInfo, 0, g_bad[i].addr), "vcpu_op register_vcpu_info ptr=%s",
            g_bad[i].name);
    r = {pgfn(kVcpuInfo), 64, 0};
    g_vcpu_info_ok = out(vcpu_op(x::kVcpuopRegisterVcpuInfo, 0, &r), "vcpu_op register_vcpu_info vcpu=0 offset=64") == 0;
    auto* vi = as<volatile keel::xen::VcpuInfo>(page(kVcpuInfo) + 64);
    print("vcpu_info upcall_pending=%u pending_sel=0x%lx\n", vi->evtchn_upcall_pending,
          static_cast<unsigned long>(vi->evtchn_pending_sel));
    r = {pgfn(kVcpuInfo), 128, 0};
    out(vcpu_op(x::kVcpuopRegisterVcpuInfo, 0, &r), "vcpu_op register_vcpu_info vcpu=0 again");

    // Runstate area (a guest virtual address).
    auto* rs = as<volatile x::VcpuRunstateInfo>(page(kRunstate));
    rs->state = -7;
    volatile uint64_t area = pgpa(kRunstate);
    outm(vcpu_op(x::kVcpuopRegisterRunstateMemoryArea, 0, const_cast<uint64_t*>(&area)),
         "vcpu_op register_runstate_memory_area vcpu=0");
    print(" state=%d\n", rs->state);
    out(vcpu_op(x::kVcpuopRegisterRunstateMemoryArea, 1, const_cast<uint64_t*>(&area)),
        "vcpu_op register_runstate_memory_area vcpu=1");
    for (uint32_t i = 0; i < g_nbad; ++i)
        out(hypercall(x::kHcVcpuOp, x::kVcpuopRegisterRunstateMemoryArea, 0, g_bad[i].addr),
            "vcpu_op register_runstate_memory_area ptr=%s", g_bad[i].name);
    area = kVpl011;
    out(vcpu_op(x::kVcpuopRegisterRunstateMemoryArea, 0, const_cast<uint64_t*>(&area)),
        "vcpu_op register_runstate_memory_area area=mmio-uart");
    area = pgpa(kRunstate);
    out(vcpu_op(x::kVcpuopRegisterRunstateMemoryArea, 0, const_cast<uint64_t*>(&area)),
        "vcpu_op register_runstate_memory_area vcpu=0 again");

    // Everything else is -EINVAL on Xen/ARM.
    for (uint64_t cmd = 0; cmd <= 16; ++cmd) {
        if (cmd == x::kVcpuopRegisterRunstateMemoryArea || cmd == x::kVcpuopRegisterVcpuInfo) continue;
        zero(page(kBuf), 256);
        out(vcpu_op(cmd, 0, page(kBuf)), "vcpu_op cmd=%lu vcpu=0", static_cast<unsigned long>(cmd));
    }
    out(vcpu_op(x::kVcpuopIsUp, 1, nullptr), "vcpu_op is_up vcpu=1");
    out(vcpu_op(99, 0, nullptr), "vcpu_op cmd=99");
    out(vcpu_op(0xffffffff, 0, nullptr), "vcpu_op cmd=0xffffffff");
}

void sched_tests_early()
{
    section("sched_op");
    out(sched_op(x::kSchedYield, nullptr), "sched_op yield");
    out(sched_op(x::kSchedYield, as<void>(kVpl011)), "sched_op yield ptr=mmio-uart");
    volatile uint32_t code = x::kShutdownPoweroff;
    out(sched_op(x::kSchedShutdownCode, const_cast<uint32_t*>(&code)), "sched_op shutdown_code poweroff");
    out(sched_op(x::kSchedShutdownCode, nullptr), "sched_op shutdown_code ptr=null");
    x::SchedRemoteShutdown rs{};
    rs.domain_id = 2;
    rs.reason = x::kShutdownPoweroff;
    out(sched_op(x::kSchedRemoteShutdown, &rs), "sched_op remote_shutdown dom=2");
    rs.domain_id = 0;
    out(sched_op(x::kSchedRemoteShutdown, &rs), "sched_op remote_shutdown dom=0");
    x::SchedWatchdog wd{5, 0};
    out(sched_op(x::kSchedWatchdog, &wd), "sched_op watchdog id=5 timeout=0");
    x::SchedPinOverride po{0};
    out(sched_op(x::kSchedPinOverride, &po), "sched_op pin_override pcpu=0");
    out(sched_op(x::kSchedShutdown, nullptr), "sched_op shutdown ptr=null");
    out(sched_op(x::kSchedShutdown, as<void>(kVpl011)), "sched_op shutdown ptr=mmio-uart");
    for (uint64_t cmd : {uint64_t{8}, uint64_t{99}, ~uint64_t{0}})
        out(sched_op(cmd, nullptr), "sched_op cmd=0x%lx", static_cast<unsigned long>(cmd));
    out(hypercall(6, 0, 0), "sched_op_compat yield");
}

// Polls that return at once: an absolute timeout of 1 ns (already past), a
// pending port, and bad arguments.
void sched_poll_tests(uint32_t pending_port)
{
    section("sched_op poll");
    volatile uint32_t ports[4] = {pending_port, 0, 0, 0};
    out(sched_poll(const_cast<uint32_t*>(ports), 1, 0), "sched_op poll port=pending timeout=none");
    out(sched_poll(const_cast<uint32_t*>(ports), 0, 1), "sched_op poll nr=0 timeout=1ns");
    ports[0] = 5000;
    out(sched_poll(const_cast<uint32_t*>(ports), 1, 1), "sched_op poll port=5000 timeout=1ns");
    out(sched_poll(nullptr, 1, 1), "sched_op poll ports=null");
    out(sched_poll(as<uint32_t>(kVpl011), 1, 1), "sched_op poll ports=mmio-uart");
    ports[0] = pending_port;
    out(sched_poll(const_cast<uint32_t*>(ports), 200, 1), "sched_op poll nr=200");
    out(sched_poll(const_cast<uint32_t*>(ports), 0xffffffff, 1), "sched_op poll nr=0xffffffff");
    // Not the grant window: zeros there read as "no ports, no timeout" (blocks for good).
    init_bad_pointers(false);
    for (uint32_t i = 0; i < g_nbad; ++i)
        out(hypercall(x::kHcSchedOp, x::kSchedPoll, g_bad[i].addr), "sched_op poll ptr=%s", g_bad[i].name);
}

long ev_status(uint32_t port, uint16_t dom = x::kDomidSelf, bool newline = true)
{
    x::EvtchnStatus s{};
    s.dom = dom;
    s.port = port;
    const long rc = event_channel_op(x::kEvtchnStatus, &s);
    outm(rc, "evtchn_op status dom=0x%x port=%u", dom, port);
    if (rc == 0) {
        print(" status=%u vcpu=%u", s.status, s.vcpu);
        if (s.status == x::kEvtchnstatUnbound) print(" remote=0x%x", s.u.unbound_dom);
        if (s.status == x::kEvtchnstatInterdomain) print(" remote=0x%x rport=%u", s.u.interdomain.dom, s.u.interdomain.port);
        if (s.status == x::kEvtchnstatVirq) print(" virq=%u", s.u.virq);
    }
    if (newline) putc('\n');
    return rc;
}

long ev_port_op(uint64_t cmd, const char* name, uint32_t port)
{
    x::EvtchnPort p{port};
    return out(event_channel_op(cmd, &p), "evtchn_op %s port=%u", name, port);
}

uint32_t ev_alloc(uint16_t dom, uint16_t remote, const char* what)
{
    x::EvtchnAllocUnbound a{dom, remote, 0xdead};
    const long rc = outm(event_channel_op(x::kEvtchnAllocUnbound, &a), "evtchn_op alloc_unbound %s", what);
    if (rc == 0) print(" port=%u", a.port);
    putc('\n');
    return rc == 0 ? a.port : 0;
}

uint32_t ev_bind_interdomain(uint16_t remote, uint32_t rport, const char* what)
{
    x::EvtchnBindInterdomain b{};
    b.remote_dom = remote;
    b.remote_port = rport;
    b.local_port = 0xdead;
    const long rc = outm(event_channel_op(x::kEvtchnBindInterdomain, &b), "evtchn_op bind_interdomain %s", what);
    if (rc == 0) print(" port=%u", b.local_port);
    putc('\n');
    return rc == 0 ? b.local_port : 0;
}

uint32_t ev_bind_virq(uint32_t virq, uint32_t vcpu)
{
    x::EvtchnBindVirq b{virq, vcpu, 0xdead};
    const long rc = outm(event_channel_op(x::kEvtchnBindVirq, &b), "evtchn_op bind_virq virq=%u vcpu=%u", virq, vcpu);
    if (rc == 0) print(" port=%u", b.port);
    putc('\n');
    return rc == 0 ? b.port : 0;
}

uint32_t ev_bind_ipi(uint32_t vcpu)
{
    x::EvtchnBindIpi b{vcpu, 0xdead};
    const long rc = outm(event_channel_op(x::kEvtchnBindIpi, &b), "evtchn_op bind_ipi vcpu=%u", vcpu);
    if (rc == 0) print(" port=%u", b.port);
    putc('\n');
    return rc == 0 ? b.port : 0;
}

void print_2l(const char* what, uint32_t port)
{
    keel::xen::SharedInfo* si = shared_info();
    print("2l %s port=%u pending=%d masked=%d\n", what, port, evtchn_pending(port) ? 1 : 0,
          evtchn_masked(port) ? 1 : 0);
    (void)si;
}

constinit volatile uint32_t g_seen_port = 0;
constinit volatile uint32_t g_seen_count = 0;
void on_event(uint32_t port)
{
    g_seen_port = port;
    g_seen_count = g_seen_count + 1;
}

/// The 2-level tests; returns a loopback port left pending and unmasked, for poll.
uint32_t evtchn_2l_tests()
{
    section("event_channel_op 2-level");
    const uint32_t a = ev_alloc(x::kDomidSelf, x::kDomidSelf, "dom=self remote=self");
    const uint32_t u = ev_alloc(x::kDomidSelf, 0, "dom=self remote=0");
    ev_alloc(x::kDomidSelf, 2, "dom=self remote=2 (absent)");
    ev_alloc(x::kDomidSelf, x::kDomidInvalid, "dom=self remote=invalid");
    ev_alloc(2, x::kDomidSelf, "dom=2");
    ev_alloc(g_self, x::kDomidSelf, "dom=self-id");
    ev_status(a);
    ev_status(u);
    const uint32_t b = ev_bind_interdomain(x::kDomidSelf, a, "remote=self rport=a (loopback)");
    ev_status(a);
    ev_status(b);
    print_2l("after bind b", b);
    ev_bind_interdomain(x::kDomidSelf, a, "remote=self rport=a again");
    ev_bind_interdomain(x::kDomidSelf, u, "remote=self rport=u (unbound for dom0)");
    ev_bind_interdomain(x::kDomidSelf, 0, "remote=self rport=0");
    ev_bind_interdomain(x::kDomidSelf, 4096, "remote=self rport=4096");
    ev_bind_interdomain(2, 1, "remote=2");
    ev_bind_interdomain(0, 1, "remote=0");
    for (uint32_t p : {0u, 4095u, 4096u, 100000u, 0xffffffffu}) ev_status(p);
    ev_status(a, 2);
    ev_status(a, g_self);

    // send / pending / mask / unmask on the loopback pair.
    evtchn_clear_pending(a);
    evtchn_clear_pending(b);
    ev_port_op(x::kEvtchnSend, "send", a);
    print_2l("after send a: b", b);
    print_2l("after send a: a", a);
    evtchn_clear_pending(b);
    evtchn_mask(b);
    ev_port_op(x::kEvtchnSend, "send", a);
    print_2l("masked b after send a", b);
    ev_port_op(x::kEvtchnUnmask, "unmask", b);
    print_2l("after unmask b", b);
    evtchn_clear_pending(b);
    ev_port_op(x::kEvtchnSend, "send", u);
    print_2l("after send u (unbound)", u);
    for (uint32_t p : {0u, 4095u, 4096u, 0xffffffffu}) ev_port_op(x::kEvtchnSend, "send", p);
    for (uint32_t p : {0u, 4096u, 0xffffffffu}) ev_port_op(x::kEvtchnUnmask, "unmask", p);

    // VIRQs and IPIs.
    const uint32_t vt = ev_bind_virq(0, 0);
    ev_bind_virq(0, 0);
    ev_bind_virq(1, 0);
    ev_bind_virq(2, 0);
    ev_bind_virq(3, 0);
    ev_bind_virq(3, 0);
    ev_bind_virq(4, 1);
    ev_bind_virq(5, 0);
    ev_bind_virq(23, 0);
    ev_bind_virq(24, 0);
    ev_bind_virq(0, 1);
    ev_bind_virq(0xffffffff, 0);
    if (vt != 0) ev_status(vt);
    const uint32_t ipi = ev_bind_ipi(0);
    ev_bind_ipi(1);
    ev_bind_ipi(0xffffffff);
    if (ipi != 0) {
        ev_status(ipi);
        evtchn_clear_pending(ipi);
        ev_port_op(x::kEvtchnSend, "send", ipi);
        print_2l("after send ipi", ipi);
        evtchn_clear_pending(ipi);
    }
    x::EvtchnBindPirq bp{1, 0, 0xdead};
    out(event_channel_op(x::kEvtchnBindPirq, &bp), "evtchn_op bind_pirq pirq=1");

    // bind_vcpu.
    for (uint32_t p : {a, ipi, vt, 0u, 5000u}) {
        x::EvtchnBindVcpu bv{p, 0};
        out(event_channel_op(x::kEvtchnBindVcpu, &bv), "evtchn_op bind_vcpu port=%u vcpu=0", p);
    }
    x::EvtchnBindVcpu bv1{a, 1};
    out(event_channel_op(x::kEvtchnBindVcpu, &bv1), "evtchn_op bind_vcpu port=%u vcpu=1", a);

    // FIFO-only operations under 2-level.
    x::EvtchnSetPriority sp{a, 3};
    out(event_channel_op(x::kEvtchnSetPriority, &sp), "evtchn_op set_priority (2-level) port=%u prio=3", a);
    x::EvtchnExpandArray ea{pgfn(kFifoArray)};
    out(event_channel_op(x::kEvtchnExpandArray, &ea), "evtchn_op expand_array (2-level)");

    // The upcall: PPI 31 for an unmasked pending port.
    const bool gic_ok = gic::init_distributor() && gic::init_cpu();
    print("gic up=%d\n", gic_ok ? 1 : 0);
    keel::xen::VcpuInfo* vi = as<keel::xen::VcpuInfo>(page(kVcpuInfo) + 64);
    upcall_init(on_event, g_vcpu_info_ok ? vi : nullptr);
    // Drain what registration left (Xen marks everything pending then).
    (void)upcall_scan();
    for (uint32_t p : {a, b, u, ipi, vt}) {
        if (p != 0) evtchn_clear_pending(p);
    }
    evtchn_clear_mask(b);
    g_seen_count = 0;
    g_seen_port = 0;
    const uint32_t before = upcalls();
    ev_port_op(x::kEvtchnSend, "send (irq on)", a);
    irq_enable();
    (void)timer::spin_until([] { return g_seen_count != 0; }, 2000000);
    irq_disable();
    print("upcall irq_taken=%d events=%u port_is_b=%d\n", upcalls() != before ? 1 : 0, g_seen_count,
          g_seen_port == b ? 1 : 0);
    // Masked: no upcall; unmask re-raises it.
    g_seen_count = 0;
    evtchn_mask(b);
    ev_port_op(x::kEvtchnSend, "send (b masked)", a);
    irq_enable();
    (void)timer::spin_until([] { return g_seen_count != 0; }, 200000);
    irq_disable();
    print("masked upcall events=%u pending=%d\n", g_seen_count, evtchn_pending(b) ? 1 : 0);
    // Xen clears the mask bit itself (only a 0 -> 1 of the selector raises the upcall).
    ev_port_op(x::kEvtchnUnmask, "unmask (pending)", b);
    irq_enable();
    (void)timer::spin_until([] { return g_seen_count != 0; }, 2000000);
    irq_disable();
    print("after unmask upcall events=%u port_is_b=%d\n", g_seen_count, g_seen_port == b ? 1 : 0);

    // close.
    const uint32_t c = ev_alloc(x::kDomidSelf, x::kDomidSelf, "dom=self remote=self (to close)");
    ev_port_op(x::kEvtchnClose, "close", c);
    ev_port_op(x::kEvtchnClose, "close again", c);
    ev_status(c);
    ev_port_op(x::kEvtchnSend, "send closed", c);
    for (uint32_t p : {0u, 4096u, 0xffffffffu}) ev_port_op(x::kEvtchnClose, "close", p);
    if (vt != 0) ev_port_op(x::kEvtchnClose, "close virq", vt);
    if (ipi != 0) ev_port_op(x::kEvtchnClose, "close ipi", ipi);
    ev_port_op(x::kEvtchnClose, "close unbound", u);
    // Closing one end of the loopback leaves the other unbound.
    const uint32_t d = ev_alloc(x::kDomidSelf, x::kDomidSelf, "dom=self remote=self (pair 2)");
    const uint32_t e = ev_bind_interdomain(x::kDomidSelf, d, "remote=self rport=d");
    ev_port_op(x::kEvtchnClose, "close", e);
    ev_status(d);

    // reset of another domain; bad commands and pointers.
    x::EvtchnReset r{2};
    out(event_channel_op(x::kEvtchnReset, &r), "evtchn_op reset dom=2");
    for (uint64_t cmd : {uint64_t{14}, uint64_t{99}, ~uint64_t{0}})
        out(event_channel_op(cmd, page(kBuf)), "evtchn_op cmd=0x%lx", static_cast<unsigned long>(cmd));
    init_bad_pointers(true);
    for (uint32_t i = 0; i < g_nbad; ++i)
        out(hypercall(x::kHcEventChannelOp, x::kEvtchnStatus, g_bad[i].addr), "evtchn_op status ptr=%s", g_bad[i].name);
    for (uint32_t i = 0; i < g_nbad; ++i)
        out(hypercall(x::kHcEventChannelOp, x::kEvtchnAllocUnbound, g_bad[i].addr), "evtchn_op alloc_unbound ptr=%s",
            g_bad[i].name);
    // Fill the 2-level space: Xen allows ports up to 4095.
    uint32_t last = 0, n = 0;
    for (;;) {
        x::EvtchnAllocUnbound al{x::kDomidSelf, x::kDomidSelf, 0};
        if (event_channel_op(x::kEvtchnAllocUnbound, &al) != 0) break;
        last = al.port;
        if (++n > 5000) break;
    }
    print("2l alloc until failure: allocated=%u last=%u\n", n, last);
    ev_alloc(x::kDomidSelf, x::kDomidSelf, "when full");
    // reset self: every port closed.
    x::EvtchnReset rs{x::kDomidSelf};
    out(event_channel_op(x::kEvtchnReset, &rs), "evtchn_op reset dom=self");
    ev_status(a);
    ev_status(last);
    // A fresh pending loopback pair for the poll tests.
    const uint32_t p1 = ev_alloc(x::kDomidSelf, x::kDomidSelf, "dom=self remote=self (poll)");
    const uint32_t p2 = ev_bind_interdomain(x::kDomidSelf, p1, "remote=self (poll)");
    evtchn_mask(p2);
    ev_port_op(x::kEvtchnSend, "send", p1);
    return p2;
}

void evtchn_fifo_tests(uint32_t bound_port)
{
    section("event_channel_op FIFO");
    x::EvtchnInitControl ic{};
    auto init = [&](uint64_t gfn, uint32_t offset, uint32_t vcpu, const char* what) {
        ic = {};
        ic.control_gfn = gfn;
        ic.offset = offset;
        ic.vcpu = vcpu;
        const long rc = outm(event_channel_op(x::kEvtchnInitControl, &ic), "evtchn_op init_control %s", what);
        if (rc == 0) print(" link_bits=%u", ic.link_bits);
        putc('\n');
    };
    init(pgfn(kFifoCb), 4095, 0, "offset=4095");
    init(pgfn(kFifoCb), 4, 0, "offset=4");
    init(pgfn(kFifoCb), 4096 - 64, 0, "offset=4032 (72 bytes cross)");
    init(pgfn(kFifoCb), 0, 1, "vcpu=1 (absent)");
    init(pgfn(kFifoCb), 0, 0xffffffff, "vcpu=~0");
    init(pgfn(kMapTarget), 0, 0, "gfn=hole");
    init(kVpl011 >> 12, 0, 0, "gfn=mmio-uart");
    // Not gfn=grant frame: Xen 4.17 accepts it (see vcpu_op) and the control block would move there.
    init(kBeyondIpa >> 12, 0, 0, "gfn=beyond-ipa");
    init_bad_pointers(true);
    for (uint32_t i = 0; i < g_nbad; ++i)
        out(hypercall(x::kHcEventChannelOp, x::kEvtchnInitControl, g_bad[i].addr), "evtchn_op init_control ptr=%s",
            g_bad[i].name);
    init(pgfn(kFifoCb), 0, 0, "vcpu=0 offset=0");
    init(pgfn(kFifoCb), 512, 0, "vcpu=0 again");
    auto* cb = as<volatile x::FifoControlBlock>(page(kFifoCb));
    ev_status(bound_port);

    // Event array: every word MASKED first, as Linux does.
    auto* words = as<volatile uint32_t>(page(kFifoArray));
    for (uint32_t i = 0; i < 1024; ++i) words[i] = x::kFifoMasked;
    x::EvtchnExpandArray ea{};
    ea.array_gfn = pgfn(kMapTarget);
    out(event_channel_op(x::kEvtchnExpandArray, &ea), "evtchn_op expand_array gfn=hole");
    ea.array_gfn = kVpl011 >> 12;
    out(event_channel_op(x::kEvtchnExpandArray, &ea), "evtchn_op expand_array gfn=mmio-uart");
    ea.array_gfn = pgfn(kFifoArray);
    out(event_channel_op(x::kEvtchnExpandArray, &ea), "evtchn_op expand_array gfn=array0");
    print("fifo word[%u] pending=%d masked=%d ready=0x%x\n", bound_port, (words[bound_port] & x::kFifoPending) ? 1 : 0,
          (words[bound_port] & x::kFifoMasked) ? 1 : 0, cb->ready);

    const uint32_t a = ev_alloc(x::kDomidSelf, x::kDomidSelf, "fifo dom=self remote=self");
    const uint32_t b = ev_bind_interdomain(x::kDomidSelf, a, "fifo remote=self");
    if (b != 0 && b < 1024) {
        print("fifo word[b] after bind pending=%d masked=%d linked=%d\n", (words[b] & x::kFifoPending) ? 1 : 0,
              (words[b] & x::kFifoMasked) ? 1 : 0, (words[b] & x::kFifoLinked) ? 1 : 0);
        words[b] = 0;  // unmasked, not pending
        cb->ready = 0;
        for (uint32_t q = 0; q < x::kFifoMaxQueues; ++q) cb->head[q] = 0;
        ev_port_op(x::kEvtchnSend, "send (fifo)", a);
        print("fifo word[b] pending=%d linked=%d ready=0x%x head7_is_b=%d\n", (words[b] & x::kFifoPending) ? 1 : 0,
              (words[b] & x::kFifoLinked) ? 1 : 0, cb->ready, cb->head[x::kFifoPriorityDefault] == b ? 1 : 0);
        words[b] = x::kFifoMasked;
        ev_port_op(x::kEvtchnSend, "send (fifo, b masked)", a);
        print("fifo word[b] masked pending=%d linked=%d\n", (words[b] & x::kFifoPending) ? 1 : 0,
              (words[b] & x::kFifoLinked) ? 1 : 0);
        words[b] = x::kFifoPending;  // the guest clears MASKED, then asks Xen to link it
        ev_port_op(x::kEvtchnUnmask, "unmask (fifo, pending)", b);
        print("fifo word[b] after unmask linked=%d\n", (words[b] & x::kFifoLinked) ? 1 : 0);
    }
    x::EvtchnSetPriority sp{};
    for (uint32_t prio : {0u, 3u, 15u, 16u, 0xffffffffu}) {
        sp = {a, prio};
        out(event_channel_op(x::kEvtchnSetPriority, &sp), "evtchn_op set_priority port=a prio=%u", prio);
    }
    sp = {5000, 3};
    out(event_channel_op(x::kEvtchnSetPriority, &sp), "evtchn_op set_priority port=5000");
    // A port beyond the event array: bound, but no event word yet.
    uint32_t last = 0, n = 0;
    for (; n < 1100; ++n) {
        x::EvtchnAllocUnbound al{x::kDomidSelf, x::kDomidSelf, 0};
        if (event_channel_op(x::kEvtchnAllocUnbound, &al) != 0) break;
        last = al.port;
    }
    print("fifo alloc 1100: allocated=%u last=%u\n", n, last);
    ea.array_gfn = pgfn(kFifoArray);
    out(event_channel_op(x::kEvtchnExpandArray, &ea), "evtchn_op expand_array gfn=array0 again");
    for (uint32_t i = 0; i < g_nbad; ++i)
        out(hypercall(x::kHcEventChannelOp, x::kEvtchnExpandArray, g_bad[i].addr), "evtchn_op expand_array ptr=%s",
            g_bad[i].name);
    x::EvtchnReset rs{x::kDomidSelf};
    out(event_channel_op(x::kEvtchnReset, &rs), "evtchn_op reset dom=self (fifo)");
    ev_alloc(x::kDomidSelf, x::kDomidSelf, "after fifo reset");
    init(pgfn(kFifoCb), 0, 0, "after reset");
}

long gnt_map(uint64_t host_addr, uint32_t flags, uint32_t ref, uint16_t dom, uint32_t* handle, const char* what)
{
    x::GnttabMapGrantRef m{};
    m.host_addr = host_addr;
    m.flags = flags;
    m.ref = ref;
    m.dom = dom;
    m.status = 0x77;
    const long rc = outm(grant_table_op(x::kGnttabMapGrantRef, &m, 1), "grant_table_op map_grant_ref %s", what);
    print(" status=%d\n", m.status);
    if (handle != nullptr) *handle = m.handle;
    return rc == 0 ? m.status : rc;
}

long gnt_unmap(uint64_t host_addr, uint32_t handle, const char* what);

/// A map expected to fail; when it does not, it is unmapped again at once.
void gnt_map_bad(uint64_t host_addr, uint32_t flags, uint32_t ref, uint16_t dom, const char* what)
{
    uint32_t handle = 0;
    if (gnt_map(host_addr, flags, ref, dom, &handle, what) == 0) gnt_unmap(host_addr, handle, "(the map above)");
}

long gnt_unmap(uint64_t host_addr, uint32_t handle, const char* what)
{
    x::GnttabUnmapGrantRef u{};
    u.host_addr = host_addr;
    u.handle = handle;
    u.status = 0x77;
    const long rc = outm(grant_table_op(x::kGnttabUnmapGrantRef, &u, 1), "grant_table_op unmap_grant_ref %s", what);
    print(" status=%d\n", u.status);
    return rc == 0 ? u.status : rc;
}

void gnt_copy(uint64_t src, uint16_t sdom, uint16_t soff, uint64_t dst, uint16_t ddom, uint16_t doff, uint16_t len,
              uint16_t flags, const char* what)
{
    x::GnttabCopy c{};
    c.source.u = src;
    c.source.domid = sdom;
    c.source.offset = soff;
    c.dest.u = dst;
    c.dest.domid = ddom;
    c.dest.offset = doff;
    c.len = len;
    c.flags = flags;
    c.status = 0x77;
    outm(grant_table_op(x::kGnttabCopy, &c, 1), "grant_table_op copy %s", what);
    print(" status=%d\n", c.status);
}

void grant_tests()
{
    section("grant_table_op");
    x::GnttabQuerySize q{};
    for (uint16_t dom : {x::kDomidSelf, g_self, uint16_t{2}, uint16_t{0}, x::kDomidXen}) {
        q = {};
        q.dom = dom;
        q.status = 0x77;
        outm(grant_table_op(x::kGnttabQuerySize, &q, 1), "grant_table_op query_size dom=0x%x", dom);
        print(" status=%d nr=%u max=%u\n", q.status, q.nr_frames, q.max_nr_frames);
    }
    x::GnttabGetVersion gv{};
    for (uint16_t dom : {x::kDomidSelf, uint16_t{2}}) {
        gv = {};
        gv.dom = dom;
        outm(grant_table_op(x::kGnttabGetVersion, &gv, 1), "grant_table_op get_version dom=0x%x", dom);
        print(" version=%u\n", gv.version);
    }
    for (uint32_t ver : {1u, 2u, 0u, 3u}) {
        x::GnttabSetVersion sv{ver};
        outm(grant_table_op(x::kGnttabSetVersion, &sv, 1), "grant_table_op set_version %u", ver);
        print(" version=%u\n", sv.version);
    }
    // setup_table: the frames as GFNs (auto-translated).
    volatile uint64_t* frames = as<volatile uint64_t>(page(kBuf));
    for (uint32_t nr : {1u, 2u, 64u, 65u}) {
        frames[0] = 0x1234;
        x::GnttabSetupTable st{};
        st.dom = x::kDomidSelf;
        st.nr_frames = nr;
        st.frame_list = ptr(frames);
        st.status = 0x77;
        outm(grant_table_op(x::kGnttabSetupTable, &st, 1), "grant_table_op setup_table nr=%u", nr);
        print(" status=%d frame0_is_window=%d\n", st.status, frames[0] == kGnttabGfn ? 1 : 0);
    }
    x::GnttabSetupTable st2{};
    st2.dom = 2;
    st2.nr_frames = 1;
    st2.frame_list = ptr(frames);
    outm(grant_table_op(x::kGnttabSetupTable, &st2, 1), "grant_table_op setup_table dom=2");
    print(" status=%d\n", st2.status);
    x::GnttabDumpTable dt{x::kDomidSelf, 0x77};
    outm(grant_table_op(x::kGnttabDumpTable, &dt, 1), "grant_table_op dump_table dom=self");
    print(" status=%d\n", dt.status);
    x::GnttabGetStatusFrames gs{};
    gs.nr_frames = 1;
    gs.dom = x::kDomidSelf;
    gs.frame_list = ptr(frames);
    gs.status = 0x77;
    outm(grant_table_op(x::kGnttabGetStatusFrames, &gs, 1), "grant_table_op get_status_frames");
    print(" status=%d\n", gs.status);

    // Grant our own page to ourselves (ref 8), then map it in a hole.
    fill(kGranted, 0x11);
    grant_access(8, g_self, pgfn(kGranted), false);
    grant_access(9, g_self, pgfn(kGranted), true);
    grant_access(10, 2, pgfn(kGranted), false);            // for another domain
    grant_access(11, g_self, kVpl011 >> 12, false);        // an MMIO "frame"
    grant_access(12, g_self, pgfn(kMapTarget2), false);    // a hole
    grant_access(13, g_self, kGnttabGfn, false);           // the grant frame itself
    uint32_t h = 0, h_ro = 0;
    const long st = gnt_map(pgpa(kMapTarget), x::kGntmapHostMap, 8, g_self, &h, "ref=8 dom=self-id at=hole");
    if (st == 0) {
        print("grant mapped data ok=%d flags=0x%x\n", check(page(kMapTarget), 0x11, 0, 4096) ? 1 : 0, grant_flags(8));
        volatile uint8_t* mapped = page(kMapTarget);
        volatile uint8_t* granted = page(kGranted);
        mapped[100] = 0xee;
        print("grant write-through ok=%d\n", granted[100] == 0xee ? 1 : 0);
        mapped[100] = static_cast<uint8_t>(0x11 + 100 * 7);
        print("grant end while mapped revoked=%d\n", grant_end(8) ? 1 : 0);
    }
    gnt_map(pgpa(kMapTarget2), x::kGntmapHostMap | x::kGntmapReadonly, 9, g_self, &h_ro,
            "ref=9 readonly at=hole2");
    print("grant ro flags=0x%x\n", grant_flags(9));
    gnt_unmap(pgpa(kMapTarget2), h_ro, "ro");
    gnt_map_bad(pgpa(kMapTarget2), x::kGntmapHostMap, 9, g_self, "ref=9 (GTF_readonly) writable");
    gnt_map_bad(pgpa(kMapTarget2), x::kGntmapHostMap, 10, g_self, "ref=10 (granted to dom2)");
    gnt_map_bad(pgpa(kMapTarget2), x::kGntmapHostMap, 7, g_self, "ref=7 (empty)");
    gnt_map_bad(pgpa(kMapTarget2), x::kGntmapHostMap, 100000, g_self, "ref=100000");
    gnt_map_bad(pgpa(kMapTarget2), x::kGntmapHostMap, 8, x::kDomidSelf, "dom=self (DOMID_SELF)");
    gnt_map_bad(pgpa(kMapTarget2), x::kGntmapHostMap, 8, 2, "dom=2");
    gnt_map_bad(pgpa(kMapTarget2), x::kGntmapHostMap, 8, 0, "dom=0");
    gnt_map_bad(pgpa(kMapTarget2), x::kGntmapHostMap, 8, x::kDomidXen, "dom=xen");
    gnt_map_bad(pgpa(kMapTarget2), 0, 8, g_self, "flags=0");
    gnt_map_bad(pgpa(kMapTarget2), x::kGntmapDeviceMap, 8, g_self, "flags=device_map");
    gnt_map_bad(pgpa(kMapTarget2), x::kGntmapHostMap | x::kGntmapContainsPte, 8, g_self,
            "flags=host_map|contains_pte");
    gnt_map_bad(pgpa(kMapTarget2), x::kGntmapHostMap | x::kGntmapApplicationMap, 8, g_self,
            "flags=host_map|application_map");
    gnt_map_bad(pgpa(kMapTarget2) + 8, x::kGntmapHostMap, 8, g_self, "at=hole2+8 (unaligned)");
    gnt_map_bad(kBeyondIpa, x::kGntmapHostMap, 8, g_self, "at=beyond-ipa");
    {
        uint32_t hs = 0;
        g_pages[kSpare][0] = 0x42;
        const long s = gnt_map(pgpa(kSpare), x::kGntmapHostMap, 8, g_self, &hs, "at=ram (occupied)");
        if (s == 0) gnt_unmap(pgpa(kSpare), hs, "at=ram");
    }
    gnt_map_bad(pgpa(kMapTarget2), x::kGntmapHostMap, 11, g_self, "ref=11 (frame=mmio)");
    gnt_map_bad(pgpa(kMapTarget2), x::kGntmapHostMap, 12, g_self, "ref=12 (frame=hole)");
    {
        uint32_t hg = 0;
        const long s = gnt_map(pgpa(kMapTarget2), x::kGntmapHostMap, 13, g_self, &hg, "ref=13 (frame=gnttab)");
        if (s == 0) gnt_unmap(pgpa(kMapTarget2), hg, "ref=13");
    }
    // Count edge cases.
    out(grant_table_op(x::kGnttabMapGrantRef, page(kBuf), 0), "grant_table_op map_grant_ref count=0");
    out(grant_table_op(x::kGnttabMapGrantRef, nullptr, 1), "grant_table_op map_grant_ref ptr=null");
    out(grant_table_op(x::kGnttabMapGrantRef, nullptr, 0x80000000u), "grant_table_op map_grant_ref count=2^31");
    out(grant_table_op(x::kGnttabQuerySize, page(kBuf), 0), "grant_table_op query_size count=0");
    out(hypercall(x::kHcGrantTableOp, x::kGnttabQuerySize, ptr(page(kBuf)), 2), "grant_table_op query_size count=2");

    // copy.
    fill(kCopyDst, 0);
    gnt_copy(pgfn(kGranted), x::kDomidSelf, 0, pgfn(kCopyDst), x::kDomidSelf, 0, 4096, 0, "gmfn->gmfn len=4096");
    print("copy data ok=%d\n", check(page(kCopyDst), 0x11, 0, 4096) ? 1 : 0);
    fill(kCopyDst, 0x33);
    gnt_copy(8, g_self, 16, pgfn(kCopyDst), x::kDomidSelf, 32, 100, x::kGntcopySourceGref, "gref8->gmfn");
    print("copy data ok=%d\n", [] {
        for (uint32_t i = 0; i < 100; ++i)
            if (g_pages[kCopyDst][32 + i] != static_cast<uint8_t>(0x11 + (16 + i) * 7)) return 0;
        return 1;
    }());
    fill(kCopyDst, 0x33);
    gnt_copy(pgfn(kCopyDst), x::kDomidSelf, 0, 8, g_self, 0, 64, x::kGntcopyDestGref, "gmfn->gref8");
    print("copy data ok=%d\n", check(page(kGranted), 0x33, 0, 64) ? 1 : 0);
    gnt_copy(8, x::kDomidSelf, 0, 9, x::kDomidSelf, 0, 64, x::kGntcopySourceGref | x::kGntcopyDestGref,
             "gref8->gref9 (readonly)");
    gnt_copy(pgfn(kGranted), x::kDomidSelf, 4000, pgfn(kCopyDst), x::kDomidSelf, 0, 200, 0, "src crosses page");
    gnt_copy(pgfn(kGranted), x::kDomidSelf, 0, pgfn(kCopyDst), x::kDomidSelf, 4000, 200, 0, "dst crosses page");
    gnt_copy(pgfn(kGranted), x::kDomidSelf, 0, pgfn(kCopyDst), x::kDomidSelf, 0, 0, 0, "len=0");
    gnt_copy(100000, x::kDomidSelf, 0, pgfn(kCopyDst), x::kDomidSelf, 0, 8, x::kGntcopySourceGref, "gref=100000");
    gnt_copy(7, x::kDomidSelf, 0, pgfn(kCopyDst), x::kDomidSelf, 0, 8, x::kGntcopySourceGref, "gref=7 (empty)");
    gnt_copy(8, 2, 0, pgfn(kCopyDst), x::kDomidSelf, 0, 8, x::kGntcopySourceGref, "src dom=2");
    gnt_copy(pgfn(kGranted), 2, 0, pgfn(kCopyDst), x::kDomidSelf, 0, 8, 0, "src gmfn dom=2");
    gnt_copy(pgfn(kMapTarget2), x::kDomidSelf, 0, pgfn(kCopyDst), x::kDomidSelf, 0, 8, 0, "src gmfn=hole");
    gnt_copy(kVpl011 >> 12, x::kDomidSelf, 0, pgfn(kCopyDst), x::kDomidSelf, 0, 8, 0, "src gmfn=mmio-uart");
    gnt_copy(kGnttabGfn, x::kDomidSelf, 0, pgfn(kCopyDst), x::kDomidSelf, 0, 8, 0, "src gmfn=gnttab");
    gnt_copy(pgfn(kGranted), x::kDomidSelf, 0, kVpl011 >> 12, x::kDomidSelf, 0, 8, 0, "dst gmfn=mmio-uart");
    gnt_copy(pgfn(kGranted), x::kDomidSelf, 0, kBeyondIpa >> 12, x::kDomidSelf, 0, 8, 0, "dst gmfn=beyond-ipa");
    gnt_copy(11, x::kDomidSelf, 0, pgfn(kCopyDst), x::kDomidSelf, 0, 8, x::kGntcopySourceGref, "gref=11 (frame=mmio)");
    if (st == 0) gnt_copy(pgfn(kMapTarget), x::kDomidSelf, 0, pgfn(kCopyDst), x::kDomidSelf, 0, 8, 0, "src gmfn=grant-mapped");

    // transfer, swap, unmap_and_replace, cache_flush.
    x::GnttabTransfer tr{};
    tr.mfn = pgfn(kSpare);
    tr.domid = 2;
    tr.ref = 8;
    tr.status = 0x77;
    outm(grant_table_op(x::kGnttabTransfer, &tr, 1), "grant_table_op transfer dom=2");
    print(" status=%d\n", tr.status);
    x::GnttabSwapGrantRef sw{8, 9, 0x77, 0};
    outm(grant_table_op(x::kGnttabSwapGrantRef, &sw, 1), "grant_table_op swap_grant_ref 8 9");
    print(" status=%d\n", sw.status);
    uint32_t h2 = 0;
    gnt_map(pgpa(kMapTarget2), x::kGntmapHostMap, 8, g_self, &h2, "ref=8 at=hole2 (for unmap_and_replace)");
    x::GnttabUnmapAndReplace ur{};
    ur.host_addr = pgpa(kMapTarget2);
    ur.new_addr = 0;
    ur.handle = h2;
    ur.status = 0x77;
    outm(grant_table_op(x::kGnttabUnmapAndReplace, &ur, 1), "grant_table_op unmap_and_replace");
    print(" status=%d\n", ur.status);
    x::GnttabCacheFlush cf{};
    out(grant_table_op(x::kGnttabCacheFlush, &cf, 1), "grant_table_op cache_flush zero");
    cf = {8, 0, 64, 1u | (1u << 31)};
    out(grant_table_op(x::kGnttabCacheFlush, &cf, 1), "grant_table_op cache_flush ref=8 clean");
    cf = {100000, 0, 64, 1u | (1u << 31)};
    out(grant_table_op(x::kGnttabCacheFlush, &cf, 1), "grant_table_op cache_flush ref=100000");
    cf = {pgpa(kGranted), 4000, 200, 1u};
    out(grant_table_op(x::kGnttabCacheFlush, &cf, 1), "grant_table_op cache_flush crosses page");
    cf = {0, 0, 0, 0x100};
    out(grant_table_op(x::kGnttabCacheFlush, &cf, 1), "grant_table_op cache_flush op=0x100");

    // Unmap.
    if (st == 0) {
        gnt_unmap(pgpa(kMapTarget), h, "valid");
        print("grant flags after unmap=0x%x end revoked=%d\n", grant_flags(8), grant_end(8) ? 1 : 0);
        gnt_unmap(pgpa(kMapTarget), h, "again");
        expect_fault();
        volatile uint8_t v = page(kMapTarget)[0];
        (void)v;
        const FaultRecord f = take_fault();
        print("read unmapped hole faulted=%d\n", f.taken ? 1 : 0);
    }
    gnt_unmap(pgpa(kMapTarget), 99999, "handle=99999");
    gnt_unmap(pgpa(kMapTarget), 0xffffffff, "handle=~0");
    gnt_unmap(0, 0, "host_addr=0 handle=0");
    for (uint64_t cmd : {uint64_t{13}, uint64_t{99}, ~uint64_t{0}})
        out(grant_table_op(cmd, page(kBuf), 1), "grant_table_op cmd=0x%lx", static_cast<unsigned long>(cmd));
    init_bad_pointers(true);
    for (uint32_t i = 0; i < g_nbad; ++i)
        out(hypercall(x::kHcGrantTableOp, x::kGnttabQuerySize, g_bad[i].addr, 1), "grant_table_op query_size ptr=%s",
            g_bad[i].name);
    for (uint32_t i = 0; i < g_nbad; ++i)
        out(hypercall(x::kHcGrantTableOp, x::kGnttabMapGrantRef, g_bad[i].addr, 1), "grant_table_op map_grant_ref ptr=%s",
            g_bad[i].name);
}

void hvm_tests()
{
    section("hvm_op");
    x::HvmParam p{};
    for (uint32_t idx : {0u, 1u, 2u, 3u, 17u, 18u, 28u, 38u, 39u, 1000u, 0xffffffffu}) {
        p = {x::kDomidSelf, 0, idx, 0x5a5a};
        const long rc = outm(hvm_op(x::kHvmopGetParam, &p), "hvm_op get_param index=%u", idx);
        if (rc == 0) print(" value=0x%lx", static_cast<unsigned long>(p.value));
        putc('\n');
    }
    for (uint16_t dom : {g_self, uint16_t{2}, uint16_t{0}}) {
        p = {dom, 0, x::kHvmParamStorePfn, 0};
        out(hvm_op(x::kHvmopGetParam, &p), "hvm_op get_param dom=0x%x index=1", dom);
    }
    for (uint32_t idx : {0u, 1u, 2u, 17u, 18u, 28u, 3u, 38u, 39u}) {
        p = {x::kDomidSelf, 0, idx, 0};
        out(hvm_op(x::kHvmopSetParam, &p), "hvm_op set_param index=%u value=0", idx);
    }
    p = {2, 0, 1, 0};
    out(hvm_op(x::kHvmopSetParam, &p), "hvm_op set_param dom=2");
    zero(page(kBuf), 64);
    out(hvm_op(x::kHvmopGuestRequestVmEvent, page(kBuf)), "hvm_op guest_request_vm_event");
    for (uint64_t op : {uint64_t{2}, uint64_t{5}, uint64_t{23}, uint64_t{25}, uint64_t{99}, ~uint64_t{0}})
        out(hvm_op(op, page(kBuf)), "hvm_op op=0x%lx", static_cast<unsigned long>(op));
    init_bad_pointers(true);
    for (uint32_t i = 0; i < g_nbad; ++i)
        out(hypercall(x::kHcHvmOp, x::kHvmopGetParam, g_bad[i].addr), "hvm_op get_param ptr=%s", g_bad[i].name);
}

void misc_tests()
{
    section("console_io");
    char* buf = as<char>(page(kBuf));
    zero(buf, 256);
    out(hypercall(x::kHcConsoleIo, x::kConsoleioWrite, 0, ptr(buf)), "console_io write count=0");
    out(hypercall(x::kHcConsoleIo, x::kConsoleioWrite, 4, 0), "console_io write count=4 ptr=null");
    out(hypercall(x::kHcConsoleIo, x::kConsoleioWrite, 4, kVpl011), "console_io write count=4 ptr=mmio-uart");
    out(hypercall(x::kHcConsoleIo, x::kConsoleioRead, 16, ptr(buf)), "console_io read count=16");
    out(hypercall(x::kHcConsoleIo, x::kConsoleioRead, 16, 0), "console_io read ptr=null");
    out(hypercall(x::kHcConsoleIo, 2, 0, 0), "console_io cmd=2");
    out(hypercall(x::kHcConsoleIo, 99, 0, 0), "console_io cmd=99");

    section("vm_assist");
    out(hypercall(x::kHcVmAssist, x::kVmasstCmdEnable, x::kVmasstRunstateUpdateFlag), "vm_assist enable runstate_update_flag");
    out(hypercall(x::kHcVmAssist, x::kVmasstCmdDisable, x::kVmasstRunstateUpdateFlag), "vm_assist disable runstate_update_flag");
    for (uint64_t type : {uint64_t{0}, uint64_t{1}, uint64_t{2}, uint64_t{3}, uint64_t{4}, uint64_t{6}, uint64_t{31},
                          uint64_t{32}, uint64_t{64}})
        out(hypercall(x::kHcVmAssist, x::kVmasstCmdEnable, type), "vm_assist enable type=%lu", static_cast<unsigned long>(type));
    out(hypercall(x::kHcVmAssist, 2, x::kVmasstRunstateUpdateFlag), "vm_assist cmd=2");
    out(hypercall(x::kHcVmAssist, 0xffffffff, 0), "vm_assist cmd=0xffffffff");

    section("multicall");
    auto* mc = as<volatile x::MulticallEntry>(page(kMulticall));
    auto* inner = as<volatile x::MulticallEntry>(page(kMulticall) + 2048);
    zero(page(kMulticall), 4096);
    mc[0].op = x::kHcXenVersion;
    mc[0].args[0] = x::kXenverPagesize;
    mc[1].op = x::kHcSchedOp;
    mc[1].args[0] = x::kSchedYield;
    mc[2].op = 99;
    mc[3].op = x::kHcEventChannelOp;
    mc[3].args[0] = x::kEvtchnStatus;
    mc[3].args[1] = 0;  // NULL: -EFAULT inside
    mc[4].op = x::kHcXenVersion;
    mc[4].args[0] = x::kXenverVersion;
    for (uint32_t i = 0; i < 5; ++i) mc[i].result = 0x7777;
    outm(hypercall(x::kHcMulticall, ptr(mc), 5), "multicall nr=5");
    print(" r0=");
    put_rc(static_cast<long>(mc[0].result));
    print(" r1=");
    put_rc(static_cast<long>(mc[1].result));
    print(" r2=");
    put_rc(static_cast<long>(mc[2].result));
    print(" r3=");
    put_rc(static_cast<long>(mc[3].result));
    print(" r4=");
    put_rc(static_cast<long>(mc[4].result));
    putc('\n');
    // Nested: a multicall entry that is itself a multicall.
    inner[0].op = x::kHcXenVersion;
    inner[0].args[0] = x::kXenverPagesize;
    inner[0].result = 0x7777;
    mc[0].op = x::kHcMulticall;
    mc[0].args[0] = ptr(inner);
    mc[0].args[1] = 1;
    mc[0].result = 0x7777;
    outm(hypercall(x::kHcMulticall, ptr(mc), 1), "multicall nested");
    print(" r0=");
    put_rc(static_cast<long>(mc[0].result));
    print(" inner0=");
    put_rc(static_cast<long>(inner[0].result));
    putc('\n');
    // A multicall with a hypercall that is not allowed in one (e.g. sched_op shutdown? no: harmless ones).
    mc[0].op = x::kHcMemoryOp;
    mc[0].args[0] = x::kMemCurrentReservation;
    mc[0].args[1] = 0;
    mc[0].result = 0x7777;
    outm(hypercall(x::kHcMulticall, ptr(mc), 1), "multicall memory_op current_reservation ptr=null");
    print(" r0=");
    put_rc(static_cast<long>(mc[0].result));
    putc('\n');
    out(hypercall(x::kHcMulticall, ptr(mc), 0), "multicall nr=0");
    init_bad_pointers(true);
    for (uint32_t i = 0; i < g_nbad; ++i)
        out(hypercall(x::kHcMulticall, g_bad[i].addr, 1), "multicall ptr=%s", g_bad[i].name);
    out(hypercall(x::kHcMulticall, ptr(mc), 0x100000000ull), "multicall nr=2^32");

    section("privileged");
    auto* pf = as<volatile x::PlatformOp>(page(kBuf));
    zero(page(kBuf), 4096);
    pf->cmd = x::kXenpfSettime64;
    pf->interface_version = x::kXenpfInterfaceVersion;
    out(hypercall(x::kHcPlatformOp, ptr(pf)), "platform_op settime64");
    pf->interface_version = 0x03000000;
    out(hypercall(x::kHcPlatformOp, ptr(pf)), "platform_op settime64 bad-version");
    out(hypercall(x::kHcPlatformOp, 0), "platform_op ptr=null");
    auto* ctl = as<volatile x::CtlOp>(page(kBuf));
    zero(page(kBuf), 4096);
    ctl->cmd = x::kDomctlGetdomaininfo;
    ctl->interface_version = x::kDomctlInterfaceVersion;
    ctl->domain = g_self;
    out(hypercall(x::kHcDomctl, ptr(ctl)), "domctl getdomaininfo dom=self-id");
    ctl->interface_version = 0x0;
    out(hypercall(x::kHcDomctl, ptr(ctl)), "domctl getdomaininfo bad-version");
    out(hypercall(x::kHcDomctl, 0), "domctl ptr=null");
    zero(page(kBuf), 4096);
    ctl->cmd = x::kSysctlPhysinfo;
    ctl->interface_version = x::kSysctlInterfaceVersion;
    out(hypercall(x::kHcSysctl, ptr(ctl)), "sysctl physinfo");
    ctl->interface_version = 0;
    out(hypercall(x::kHcSysctl, ptr(ctl)), "sysctl physinfo bad-version");
    out(hypercall(x::kHcSysctl, 0), "sysctl ptr=null");
    zero(page(kBuf), 4096);
    for (uint64_t cmd : {x::kPhysdevopManagePciAdd, x::kPhysdevopPciDeviceAdd, x::kPhysdevopPciDeviceRemove,
                         uint64_t{0}, uint64_t{99}})
        out(hypercall(x::kHcPhysdevOp, cmd, ptr(page(kBuf))), "physdev_op cmd=%lu", static_cast<unsigned long>(cmd));
    out(hypercall(x::kHcPhysdevOp, x::kPhysdevopPciDeviceAdd, 0), "physdev_op pci_device_add ptr=null");
    out(hypercall(x::kHcXsmOp, 0), "xsm_op ptr=null");
    out(hypercall(x::kHcArgoOp, 0, 0, 0, 0, 0), "argo_op cmd=0");
    out(hypercall(x::kHcDmOp, x::kDomidSelf, 0, 0), "dm_op dom=self nr=0");
    out(hypercall(x::kHcHypfsOp, 0, 0, 0, 0, 0), "hypfs_op get_version");
}

}  // namespace

void test_main(uint64_t)
{
    g_ram_end = dt().ram_base + dt().ram_size;
    g_self = static_cast<uint16_t>(bootarg_u64(dt().bootargs, "domid", 1));
    print("CONFORMANCE-BEGIN ram=%lu MiB vcpus=%u\n", static_cast<unsigned long>(dt().ram_size >> 20), dt().cpus);
    unknown_hypercalls();
    xen_version_tests();
    memory_tests();
    vcpu_tests();
    sched_tests_early();
    const uint32_t pending = evtchn_2l_tests();
    sched_poll_tests(pending);
    grant_tests();
    hvm_tests();
    misc_tests();
    evtchn_fifo_tests(pending);
    section("final counters");
    out(dom_query(x::kMemCurrentReservation, x::kDomidSelf), "memory_op current_reservation dom=self (end)");
    out(dom_query(x::kMemMaximumGpfn, x::kDomidSelf), "memory_op maximum_gpfn dom=self (end)");
    puts("CONFORMANCE-DONE\n");
    volatile uint32_t reason = x::kShutdownPoweroff;
    const long rc = sched_op(x::kSchedShutdown, const_cast<uint32_t*>(&reason));
    out(rc, "sched_op shutdown poweroff (returned)");
    psci::system_off();
}
