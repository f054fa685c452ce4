// SPDX-License-Identifier: MIT
//
// tests/fuzz/fuzz_guest_dt.cpp
// Harness 2: the guest-DT writer round trip. The input chooses GuestDtParams
// (vCPUs in and out of range, RAM banks from split_guest_ram or arbitrary,
// bootargs, initrd, optional nodes, the host CPU's compatible list, static
// shared-memory regions and ids, IPA bits) and the buffer capacity. Then:
// build_guest_dt either refuses (Inval / NoSpc, writing nothing past the
// exact-size buffer: ASan) or returns a size that Fdt::check accepts, and the
// tree read back says what was asked (vCPU count, memory reg, bootargs,
// initrd, vPL011, /hypervisor).
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/boot/guest_dt.hpp"
#include "core/boot/guest_layout.hpp"
#include "lib/fdt.hpp"

using namespace keel;

namespace {

void fuzz_assert(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_guest_dt: invariant broken: %s\n", what);
        __builtin_trap();
    }
}

std::string text(FuzzedDataProvider& in, size_t max)
{
    std::string s = in.ConsumeRandomLengthString(max);
    s.erase(std::find(s.begin(), s.end(), '\0'), s.end());  // C strings
    return s;
}

int count_cpus(const Fdt& fdt)
{
    const int cpus = fdt.path_offset("/cpus");
    if (cpus < 0) return -1;
    int n = 0;
    for (int c = fdt.first_child(cpus); c >= 0; c = fdt.next_sibling(c)) {
        FdtProperty p;
        if (fdt.property(c, "device_type", p) && p.as_string() != nullptr &&
            std::strcmp(p.as_string(), "cpu") == 0)
            ++n;
    }
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FuzzedDataProvider in{data, size};
    GuestDtParams p;

    const uint8_t vcpu_mode = in.ConsumeIntegral<uint8_t>();
    p.vcpus = vcpu_mode < 200   ? in.ConsumeIntegralInRange<uint32_t>(1, 8)
              : vcpu_mode < 240 ? in.ConsumeIntegralInRange<uint32_t>(1, kGuestMaxVcpus)
                                : in.ConsumeIntegral<uint32_t>();
    if (in.ConsumeBool()) {
        auto ram = split_guest_ram(in.ConsumeIntegralInRange<uint64_t>(1, 8192) << 20);
        if (ram.ok()) p.ram = ram.value();
    } else {
        p.ram.count = in.ConsumeIntegralInRange<size_t>(0, kGuestRamBanks);
        for (size_t i = 0; i < p.ram.count; ++i)
            p.ram.bank[i] = GuestRange{GuestPhysAddr{in.ConsumeIntegral<uint64_t>()}, in.ConsumeIntegral<uint64_t>()};
    }
    const std::string bootargs = text(in, 600);
    if (in.ConsumeBool()) p.bootargs = bootargs.c_str();
    if (in.ConsumeBool())
        p.initrd = GuestRange{GuestPhysAddr{in.ConsumeIntegral<uint64_t>()}, in.ConsumeIntegral<uint32_t>()};
    p.vpl011 = in.ConsumeBool();
    p.xen_enhanced = in.ConsumeBool();
    p.timer_clock_frequency = in.ConsumeBool() ? in.ConsumeIntegral<uint32_t>() : 0;
    // The host's CPU compatible: a NUL-terminated string list (read_host_dt_facts guarantees it).
    std::string compat = text(in, 64);
    std::vector<char> compat_list(compat.begin(), compat.end());
    for (char& c : compat_list)
        if (c == ',') c = '\0';  // lets the input make several strings
    compat_list.push_back('\0');
    if (in.ConsumeBool()) {
        p.cpu_compatible = compat_list.data();
        p.cpu_compatible_len = compat_list.size();
    }
    p.cpu_clock_frequency = in.ConsumeBool() ? in.ConsumeIntegral<uint32_t>() : 0;
    p.xen_major = in.ConsumeIntegralInRange<uint32_t>(0, 99);
    p.xen_minor = in.ConsumeIntegralInRange<uint32_t>(0, 99);
    p.ipa_bits = in.ConsumeBool() ? in.ConsumeIntegralInRange<uint32_t>(0, 64) : 0;
    p.xenvm_root_identity = in.ConsumeBool();
    std::string ids[kGuestDtMaxShm];
    p.shm_count = in.ConsumeIntegralInRange<size_t>(0, kGuestDtMaxShm);
    for (size_t i = 0; i < p.shm_count; ++i) {
        ids[i] = text(in, 40);
        p.shm[i].id = ids[i].c_str();
        p.shm[i].range = GuestRange{GuestPhysAddr{in.ConsumeIntegral<uint64_t>() & ~uint64_t{0xfff}},
                                    in.ConsumeIntegral<uint64_t>() & ~uint64_t{0xfff}};
    }
    const size_t capacity = in.ConsumeBool() ? kGuestDtMaxSize : in.ConsumeIntegralInRange<size_t>(0, 4096);

    // The output buffer ends where the global does: a write past `capacity` is
    // an ASan report (global redzone) without a 64 KiB allocation per run.
    static uint8_t storage[kGuestDtMaxSize];
    uint8_t* const out = storage + (kGuestDtMaxSize - capacity);
    auto built = build_guest_dt(p, out, capacity);
    if (!built.ok()) {
        fuzz_assert(built.error() == Errno::Inval || built.error() == Errno::NoSpc,
                    "refusals are Inval or NoSpc");
        return 0;
    }
    const size_t n = built.value();
    fuzz_assert(n <= capacity, "size within capacity");
    fuzz_assert(Fdt::check(out, n) == FdtError::None, "Fdt::check accepts what keel wrote");

    const Fdt fdt{out, n};
    fuzz_assert(p.vcpus >= 1 && p.vcpus <= kGuestMaxVcpus, "vCPU count was checked");
    fuzz_assert(count_cpus(fdt) == static_cast<int>(p.vcpus), "one cpu node per vCPU");

    const int chosen = fdt.path_offset("/chosen");
    fuzz_assert(chosen >= 0, "/chosen exists");
    FdtProperty prop;
    if (p.bootargs != nullptr && p.bootargs[0] != '\0') {
        fuzz_assert(fdt.property(chosen, "bootargs", prop) && prop.as_string() != nullptr &&
                        std::strcmp(prop.as_string(), p.bootargs) == 0,
                    "bootargs read back");
    } else {
        fuzz_assert(!fdt.has_property(chosen, "bootargs"), "no bootargs when none given");
    }
    fuzz_assert(fdt.has_property(chosen, "linux,initrd-start") == (p.initrd.size != 0), "initrd iff given");

    int memory = -1;
    for (int c = fdt.first_child(fdt.root()); c >= 0; c = fdt.next_sibling(c))
        if (std::strncmp(fdt.node_name(c), "memory", 6) == 0) memory = c;
    fuzz_assert(memory >= 0, "a memory node");
    fuzz_assert(fdt.reg_count(memory) == p.ram.count, "one reg entry per RAM bank");
    for (size_t i = 0; i < p.ram.count; ++i) {
        uint64_t base = 0;
        uint64_t sz = 0;
        fuzz_assert(fdt.reg(memory, i, base, sz), "bank readable");
        fuzz_assert(base == p.ram.bank[i].base.raw() && sz == p.ram.bank[i].size, "bank read back");
    }
    fuzz_assert((fdt.path_offset("/hypervisor") >= 0) == p.xen_enhanced, "/hypervisor iff enhanced");
    return 0;
}
