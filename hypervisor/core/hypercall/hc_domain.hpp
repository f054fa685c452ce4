// SPDX-License-Identifier: MIT
//
// core/hypercall/hc_domain.hpp
// Owns the per-domain state of the hypercall core (embedded in Domain as
// `hc`): HVM parameters, the console_io line being assembled, the shutdown
// code (SCHEDOP_shutdown_code), the VM assists enabled (vm_assist), each
// vCPU's runstate accounting and the domain's handle (XEN_DOMCTL_setdomainhandle). Zero-initialised with the Domain; nothing to
// release when it ends.
#pragma once
#include <atomic>
#include <cstdint>

#include "arch/arm64/hw/spinlock.hpp"
#include "core/hypercall/console_line.hpp"
#include "core/hypercall/hvm_params.hpp"
#include "core/hypercall/runstate.hpp"

namespace keel {

inline constexpr size_t kHcMaxVcpus = 8;         // == kMaxVcpusPerDomain (asserted in vcpu_op.cpp)
inline constexpr uint8_t kShutdownCodeInvalid = 0xff;  // Xen's SHUTDOWN_CODE_INVALID

struct HypercallDomainState {
    HvmParams hvm;
    SpinLock console_lock;  // guards console (a leaf above keel's console lock)
    ConsoleLine console;
    std::atomic<uint8_t> shutdown_code{kShutdownCodeInvalid};
    std::atomic<uint64_t> vm_assist{0};   // bit n: VMASST type n enabled
    RunstateAccount runstate[kHcMaxVcpus];  // by vCPU id
    std::atomic<uint64_t> handle[2]{};      // xen_domain_handle_t (16 bytes; ctl_facts.hpp)
};

}  // namespace keel
