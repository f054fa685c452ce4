// SPDX-License-Identifier: MIT
//
// core/hypercall/multicall.cpp
// Owns HYPERVISOR_multicall on the target: the list lives in guest virtual
// memory of the caller; the loop itself is multicall_run.cpp's. Target only.
#include "core/hypercall/handlers.hpp"
#include "core/hypercall/multicall_run.hpp"
#include "core/memory/guest_virt.hpp"

namespace keel {
namespace {

class GuestList final : public MulticallIo {
public:
    explicit GuestList(Vcpu& v) : v_{v} {}
    Result<void> read(uint64_t va, xen::MulticallEntry& e) override
    {
        return copy_from_guest(v_, e, GuestVirtAddr{va});
    }
    Result<void> write_result(uint64_t va, uint64_t result) override
    {
        return copy_to_guest(v_, GuestVirtAddr{va + offsetof(xen::MulticallEntry, result)}, result);
    }
    Result<void> write_entry(uint64_t va, const xen::MulticallEntry& e) override
    {
        return copy_to_guest(v_, GuestVirtAddr{va}, e);
    }
    bool preempt() override { return hypercall_preempt_check(); }

private:
    Vcpu& v_;
};

}  // namespace

long do_multicall(Vcpu& v, HypercallArgs& a)
{
    GuestList list{v};
    return run_multicall(v, a, multicall_entry_table(), list);
}

}  // namespace keel
