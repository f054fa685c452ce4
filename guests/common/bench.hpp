// SPDX-License-Identifier: MIT
//
// guests/common/bench.hpp
// Owns what the benchmark guest (guests/bench) shares between its benchmarks:
//  - the output contract parsed by bench/ (keep it stable):
//      BENCH <bench> <metric> n=<count> min=<t> median=<t> p99=<t> max=<t> freq=<CNTFRQ_EL0>
//        (a distribution of CNTVCT_EL0 ticks; median and p99 are nearest-rank), and
//      BENCH <bench> <metric> value=<number> unit=<unit>
//        (a scalar; <number> is an integer or has three decimals),
//    then BENCH-DONE <bench> role=<role>, then SCHEDOP_shutdown(poweroff)
//    (PSCI SYSTEM_OFF if that returns);
//  - bootargs words (bench=<name> role=<a|b> peer=<domid> iters=<n> ...);
//  - one pool of sample slots (BSS) the benchmarks carve up;
//  - waiting for interrupts without spinning: masked WFI, woken by the
//    virtual timer (sleeps, and the watchdog that bounds every wait);
//  - a dynamic interdomain event channel made deterministically without any
//    out-of-band channel: role a allocates an unbound port for the peer, role b
//    binds to it (retrying while it does not exist yet), both use the 2-level
//    ABI with the PPI 31 upcall.
#pragma once
#include <cstdint>

#include "arch.hpp"
#include "bench_stats.hpp"
#include "timer.hpp"
#include "xen.hpp"

namespace guest::bench {

// ---- bootargs
/// True when `args` holds the word "key=value".
bool arg_is(const char* args, const char* key, const char* value);
/// Copies the value of "key=" (up to a blank) into buf (NUL-terminated); false if absent.
bool arg_str(const char* args, const char* key, char* buf, uint32_t size);

// ---- output
void distribution(const char* bench, const char* metric, uint64_t* samples, uint32_t n);
void scalar(const char* bench, const char* metric, uint64_t value, const char* unit);
/// value_milli / 1000 with three decimals.
void scalar_milli(const char* bench, const char* metric, uint64_t value_milli, const char* unit);
/// A line that is not part of the contract ("# bench: ...").
void note(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
/// BENCH-DONE, then power off (SCHEDOP_shutdown, PSCI SYSTEM_OFF as fallback).
[[noreturn]] void finish(const char* bench, const char* role);
/// Called by fail() before it powers off (e.g. to release a waiting peer).
void at_fail(void (*fn)());
/// "# bench: FAILED: ..." and BENCH-FAILED (never a number), then power off.
[[noreturn]] void fail(const char* bench, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// ---- samples: one pool for the whole guest
inline constexpr uint32_t kPoolSlots = 1u << 16;
uint64_t* pool();

// ---- waiting (interrupts masked around WFI, so no wakeup is lost)
/// GIC, this vCPU's redistributor and the virtual-timer PPI; once, before any wait.
bool init_interrupts();
/// Sleeps `us` microseconds in WFI (the virtual timer wakes it).
void sleep_us(uint64_t us);
/// The watchdog bounds wait_irq: armed on the virtual timer for `us` from now.
void watchdog_start(uint64_t us);
void watchdog_stop();
bool watchdog_expired();
/// WFI until pred() (checked with IRQs masked; each wakeup lets the handlers
/// run) or the watchdog expires; returns pred().
template <typename Pred>
bool wait_irq(Pred pred)
{
    irq_disable();
    bool ok;
    while (!(ok = pred()) && !watchdog_expired()) {
        wfi();
        irq_enable();
        isb();
        irq_disable();
    }
    irq_enable();
    return ok;
}

// ---- Xen: shared_info + vcpu_info + 2-level upcall, and the dynamic channel
/// The page registered as vCPU 0's vcpu_info by xen_init (shared_info's slot 0 if that failed).
uint8_t* vcpu_info_page();
/// shared_info mapped, vcpu_info registered for vCPU 0, upcall handler installed.
bool xen_init(xen::EvtchnHandler on_event);
/// Role a: EVTCHNOP_alloc_unbound(remote = peer) -> port (1 on a fresh domain).
long channel_offer(xa::domid_t peer, uint32_t* port);
/// Role b: EVTCHNOP_bind_interdomain(peer, remote_port), retried every 1 ms
/// while it fails (-EINVAL until a has allocated), for at most timeout_us.
long channel_join(xa::domid_t peer, uint32_t remote_port, uint32_t* port, uint64_t timeout_us);

}  // namespace guest::bench
