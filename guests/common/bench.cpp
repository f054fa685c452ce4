// SPDX-License-Identifier: MIT
//
// guests/common/bench.cpp
// Owns the benchmark guest's shared runtime (see bench.hpp): bootargs words,
// the BENCH lines, power-off, the sample pool, timer-woken WFI waits and the
// dynamic interdomain event channel.
#include "bench.hpp"

#include <cstdarg>

#include "console.hpp"
#include "exceptions.hpp"
#include "gic.hpp"
#include "psci.hpp"

namespace guest::bench {
namespace {

constinit uint64_t g_pool[kPoolSlots] = {};
alignas(4096) constinit uint8_t g_shinfo[4096] = {};
alignas(4096) constinit uint8_t g_vcpu_info[4096] = {};

// The virtual timer as a wakeup source: its handler masks the timer (it is
// level-triggered) and records that the deadline passed.
constinit volatile bool g_vt_fired = false;
constinit volatile bool g_watchdog = false;  // the armed deadline is the watchdog's
using FailHook = void (*)();
constinit FailHook g_at_fail = nullptr;

void on_vtimer(uint32_t)
{
    timer::arm_at(CntvCval::read(), true);  // keep the deadline, mask the interrupt
    g_vt_fired = true;
}

/// The word "key=" at p (p at a word start)? Returns the value's start or nullptr.
const char* value_at(const char* p, const char* key)
{
    while (*key != '\0') {
        if (*p != *key) return nullptr;
        ++p;
        ++key;
    }
    return *p == '=' ? p + 1 : nullptr;
}

const char* find_value(const char* args, const char* key)
{
    for (const char* p = args; *p != '\0'; ++p) {
        if (p != args && p[-1] != ' ') continue;
        if (const char* v = value_at(p, key); v != nullptr) return v;
    }
    return nullptr;
}

void put_milli(uint64_t milli)
{
    const uint64_t frac = milli % 1000;
    print("%lu.%c%c%c", static_cast<unsigned long>(milli / 1000), static_cast<char>('0' + frac / 100),
          static_cast<char>('0' + frac / 10 % 10), static_cast<char>('0' + frac % 10));
}

[[noreturn]] void power_off()
{
    volatile xa::SchedShutdown s{xa::kShutdownPoweroff};
    (void)xen::sched_op(xa::kSchedShutdown, const_cast<xa::SchedShutdown*>(&s));
    psci::system_off();
}

}  // namespace

bool arg_is(const char* args, const char* key, const char* value)
{
    const char* v = find_value(args, key);
    if (v == nullptr) return false;
    while (*value != '\0' && *v == *value) {
        ++v;
        ++value;
    }
    return *value == '\0' && (*v == '\0' || *v == ' ');
}

bool arg_str(const char* args, const char* key, char* buf, uint32_t size)
{
    const char* v = find_value(args, key);
    if (v == nullptr || size == 0) return false;
    uint32_t i = 0;
    for (; i + 1 < size && v[i] != '\0' && v[i] != ' '; ++i) buf[i] = v[i];
    buf[i] = '\0';
    return true;
}

void distribution(const char* bench, const char* metric, uint64_t* samples, uint32_t n)
{
    const Summary s = summarise(samples, n);
    print("BENCH %s %s n=%u min=%lu median=%lu p99=%lu max=%lu freq=%lu\n", bench, metric, s.n,
          static_cast<unsigned long>(s.min), static_cast<unsigned long>(s.median),
          static_cast<unsigned long>(s.p99), static_cast<unsigned long>(s.max),
          static_cast<unsigned long>(timer::freq()));
}

void scalar(const char* bench, const char* metric, uint64_t value, const char* unit)
{
    print("BENCH %s %s value=%lu unit=%s\n", bench, metric, static_cast<unsigned long>(value), unit);
}

void scalar_milli(const char* bench, const char* metric, uint64_t value_milli, const char* unit)
{
    print("BENCH %s %s value=", bench, metric);
    put_milli(value_milli);
    print(" unit=%s\n", unit);
}

void note(const char* fmt, ...)
{
    puts("# bench: ");
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    putc('\n');
}

void finish(const char* bench, const char* role)
{
    print("BENCH-DONE %s role=%s\n", bench, role);
    power_off();
}

void at_fail(void (*fn)()) { g_at_fail = fn; }

void fail(const char* bench, const char* fmt, ...)
{
    puts("# bench: FAILED: ");
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    print("\nBENCH-FAILED %s\n", bench);
    if (g_at_fail != nullptr) g_at_fail();
    power_off();
}

uint64_t* pool() { return g_pool; }

bool init_interrupts()
{
    if (!gic::init_distributor() || !gic::init_cpu()) return false;
    set_irq_handler(gic::kVirtualTimerPpi, on_vtimer);
    gic::enable_private(gic::kVirtualTimerPpi);
    irq_enable();
    return true;
}

void sleep_us(uint64_t us)
{
    g_watchdog = false;
    g_vt_fired = false;
    timer::arm_at(timer::now() + timer::us_to_ticks(us));
    irq_disable();
    while (!g_vt_fired) {
        wfi();
        irq_enable();
        isb();
        irq_disable();
    }
    irq_enable();
    timer::disarm();
}

void watchdog_start(uint64_t us)
{
    g_vt_fired = false;
    g_watchdog = true;
    timer::arm_at(timer::now() + timer::us_to_ticks(us));
}

void watchdog_stop()
{
    timer::disarm();
    g_watchdog = false;
}

bool watchdog_expired() { return g_watchdog && g_vt_fired; }

namespace {
constinit bool g_vcpu_info_registered = false;
}  // namespace

uint8_t* vcpu_info_page()
{
    if (g_vcpu_info_registered) return g_vcpu_info;
    return static_cast<uint8_t*>(static_cast<void*>(&xen::shared_info()->vcpu_info[0]));
}

bool xen_init(xen::EvtchnHandler on_event)
{
    if (xen::map_shared_info(g_shinfo) != 0) return false;
    xa::VcpuRegisterVcpuInfo r{xen::gfn_of(g_vcpu_info), 0, 0};
    const long vi = xen::vcpu_op(xa::kVcpuopRegisterVcpuInfo, 0, &r);
    g_vcpu_info_registered = vi == 0;
    xen::upcall_init(on_event, vi == 0 ? static_cast<keel::xen::VcpuInfo*>(static_cast<void*>(g_vcpu_info)) : nullptr);
    return true;
}

long channel_offer(xa::domid_t peer, uint32_t* port)
{
    const long rc = xen::evtchn_alloc_unbound(peer, port);
    if (rc == 0) xen::evtchn_clear_mask(*port);
    return rc;
}

long channel_join(xa::domid_t peer, uint32_t remote_port, uint32_t* port, uint64_t timeout_us)
{
    const uint64_t end = timer::now() + timer::us_to_ticks(timeout_us);
    long rc;
    while ((rc = xen::evtchn_bind_interdomain(peer, remote_port, port)) != 0 && timer::now() < end)
        sleep_us(1000);
    if (rc == 0) xen::evtchn_clear_mask(*port);
    return rc;
}

}  // namespace guest::bench
