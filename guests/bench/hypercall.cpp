// SPDX-License-Identifier: MIT
//
// guests/bench/hypercall.cpp
// Owns bench=hypercall iters=<n> [batch=<b>]: the null hypercall. n calls of
// xen_version(XENVER_version) (no memory argument, the cheapest call with a
// real answer on both hypervisors) in batches of b (default 1000) calls, each
// batch timed with CNTVCT_EL0 behind an ISB. Prints
//   BENCH hypercall batch n=<batches> ...      ticks per batch of b calls
//   BENCH hypercall batch_size value=<b> unit=calls
//   BENCH hypercall calls value=<n> unit=calls
//   BENCH hypercall total value=<ticks> unit=ticks      all n calls
//   BENCH hypercall per_call value=<x.xxx> unit=ticks   total / n
//   BENCH hypercall per_call_ns value=<x.xxx> unit=ns   the same in ns (CNTFRQ)
#include "bench.hpp"
#include "benches.hpp"
#include "guest.hpp"

namespace guest::bench {
namespace {
constexpr const char* kName = "hypercall";
}  // namespace

void run_hypercall(const char* args)
{
    const uint64_t n = bootarg_u64(args, "iters", 100000);
    uint64_t batch = bootarg_u64(args, "batch", 1000);
    if (n == 0) fail(kName, "iters=0");
    if (batch == 0 || batch > n) batch = n;
    const uint64_t batches = n / batch;
    if (batches > kPoolSlots) fail(kName, "more than %u batches", kPoolSlots);

    const long version = xen::xen_version(xa::kXenverVersion, nullptr);
    if (version <= 0) fail(kName, "xen_version(XENVER_version) -> %ld", version);
    note("hypervisor version %ld.%ld, %lu calls in %lu batches of %lu", version >> 16, version & 0xffff,
         static_cast<unsigned long>(n), static_cast<unsigned long>(batches), static_cast<unsigned long>(batch));

    uint64_t* samples = pool();
    uint64_t total = 0;
    long bad = 0;
    for (uint64_t b = 0; b < batches; ++b) {
        const uint64_t t0 = timer::now();
        for (uint64_t i = 0; i < batch; ++i)
            if (xen::xen_version(xa::kXenverVersion, nullptr) != version) ++bad;
        const uint64_t t1 = timer::now();
        samples[b] = t1 - t0;
        total += t1 - t0;
    }
    // The remainder (n not a multiple of batch) counts in the total only.
    if (const uint64_t rest = n - batches * batch; rest != 0) {
        const uint64_t t0 = timer::now();
        for (uint64_t i = 0; i < rest; ++i)
            if (xen::xen_version(xa::kXenverVersion, nullptr) != version) ++bad;
        total += timer::now() - t0;
    }
    if (bad != 0) fail(kName, "%ld calls answered something else than %ld", bad, version);

    distribution(kName, "batch", samples, static_cast<uint32_t>(batches));
    scalar(kName, "batch_size", batch, "calls");
    scalar(kName, "calls", n, "calls");
    scalar(kName, "total", total, "ticks");
    scalar_milli(kName, "per_call", ratio_milli(total, n), "ticks");
    scalar_milli(kName, "per_call_ns", ratio_milli(mul_div(total, 1000000000, timer::freq()), n), "ns");
    finish(kName, "a");
}

}  // namespace guest::bench
