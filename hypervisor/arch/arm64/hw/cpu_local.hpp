// SPDX-License-Identifier: MIT
//
// arch/arm64/hw/cpu_local.hpp
// Owns where a CPU finds its own PerCpu: TPIDR_EL2 on arm64 (Arm ARM, "TPIDR_EL2,
// EL2 Software Thread ID Register", free for software use), a thread_local
// pointer in host builds so pure code that calls this_cpu() runs under tests.
#pragma once
#include <cstdint>

namespace keel::arm64 {

#if defined(__aarch64__) && !defined(KEEL_HOST_BUILD)
// Not volatile: the value never changes after set_cpu_local() on this CPU and keel
// code never migrates between CPUs, so the compiler may reuse one read. Callers
// must not rely on a read ordered after set_cpu_local() in the same function.
inline void* cpu_local()
{
    uint64_t v;
    asm("mrs %0, tpidr_el2" : "=r"(v));
    return reinterpret_cast<void*>(v);
}
inline void set_cpu_local(void* p)
{
    asm volatile("msr tpidr_el2, %0" ::"r"(reinterpret_cast<uint64_t>(p)) : "memory");
}
#else
inline void*& host_cpu_local()
{
    static thread_local void* p = nullptr;
    return p;
}
inline void* cpu_local() { return host_cpu_local(); }
inline void set_cpu_local(void* p) { host_cpu_local() = p; }
#endif

}  // namespace keel::arm64
