// SPDX-License-Identifier: MIT
//
// core/hypercall/multicall_run.hpp
// Owns HYPERVISOR_multicall(list, nr) as Xen 4.17's do_multicall runs it
// (common/multicall.c, arch/arm/traps.c arch_do_multicall_call): entries are
// read one by one and dispatched through a table whose multicall slot refuses
// re-entry (-EINVAL in that entry's result); each result is written back; an
// op >= 64 gets -ENOSYS. Before every entry but the first, a pending
// preemption stops the batch: the call continues later with the list advanced
// past the finished entries. An entry that itself continues has its updated
// arguments written back into the list and is executed again then. A fault on
// the list ends the call with -EFAULT. Pure: the list is reached through a
// MulticallIo (guest memory on the target, a fake in tests).
#pragma once
#include <cstdint>

#include "core/hypercall/hypercall_table.hpp"
#include "lib/result.hpp"
#include "public/xen/multicall.hpp"

namespace keel {

class MulticallIo {
public:
    virtual Result<void> read(uint64_t va, xen::MulticallEntry& e) = 0;
    virtual Result<void> write_result(uint64_t va, uint64_t result) = 0;
    virtual Result<void> write_entry(uint64_t va, const xen::MulticallEntry& e) = 0;
    /// hypercall_preempt_check() on the target.
    virtual bool preempt() = 0;

protected:
    ~MulticallIo() = default;
};

/// a.arg[0]: list (guest VA), a.arg[1]: number of entries (32 bits). `entries`
/// is the table to dispatch entries through (without_multicall()).
long run_multicall(Vcpu& v, HypercallArgs& a, const HypercallTable& entries, MulticallIo& io);

/// The handler a multicall entry reaches when it is a multicall itself.
long multicall_nested(Vcpu& v, HypercallArgs& a);

}  // namespace keel
