// SPDX-License-Identifier: MIT
//
// core/event/event_2l.cpp
// Owns the 2-level event ABI (ABI §3.2; xen/common/event_2l.c): port p is bit
// p % 64 of word p / 64 in shared_info's evtchn_pending / evtchn_mask, and bit
// p / 64 of the notify vCPU's vcpu_info.evtchn_pending_sel says that word has
// work. Pure; callers hold d.deliver. Without a shared_info page nothing can
// be delivered (a domain that never set one up does not use events).
#include "core/event/event_atomic.hpp"
#include "core/event/event_core.hpp"

namespace keel::evtchn {

namespace ea = evtchn_atomic;

namespace {

constexpr uint32_t kBitsPerWord = 64;

uint32_t notify_vcpu(DomainEvents& d, uint32_t port)
{
    const EvtchnPort* p = port_of(d, port);
    return p != nullptr ? p->notify_vcpu : 0;
}

}  // namespace

void l2_set_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    xen::SharedInfo* s = env.shared_info(d);
    if (s == nullptr || port >= xen::kEvtchn2lNrChannels) return;
    const uint32_t word = port / kBitsPerWord;
    const uint32_t bit = port % kBitsPerWord;
    if (ea::test_and_set(&s->evtchn_pending[word], bit)) return;
    const uint32_t v = notify_vcpu(d, port);
    if (!ea::test(&s->evtchn_mask[word], bit) &&
        !ea::test_and_set(&vcpu_info(env, d, v)->evtchn_pending_sel, word))
        mark_upcall(env, d, v);
    check_pollers(env, d, port);
}

void l2_clear_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    xen::SharedInfo* s = env.shared_info(d);
    if (s == nullptr || port >= xen::kEvtchn2lNrChannels) return;
    (void)ea::test_and_clear(&s->evtchn_pending[port / kBitsPerWord], port % kBitsPerWord);
}

bool l2_is_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    xen::SharedInfo* s = env.shared_info(d);
    if (s == nullptr || port >= xen::kEvtchn2lNrChannels) return false;
    return ea::test(&s->evtchn_pending[port / kBitsPerWord], port % kBitsPerWord);
}

bool l2_is_masked(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    xen::SharedInfo* s = env.shared_info(d);
    if (s == nullptr || port >= xen::kEvtchn2lNrChannels) return true;
    return ea::test(&s->evtchn_mask[port / kBitsPerWord], port % kBitsPerWord);
}

void l2_unmask(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    xen::SharedInfo* s = env.shared_info(d);
    if (s == nullptr || port >= xen::kEvtchn2lNrChannels) return;
    const uint32_t word = port / kBitsPerWord;
    const uint32_t bit = port % kBitsPerWord;
    const uint32_t v = notify_vcpu(d, port);
    if (ea::test_and_clear(&s->evtchn_mask[word], bit) && ea::test(&s->evtchn_pending[word], bit) &&
        !ea::test_and_set(&vcpu_info(env, d, v)->evtchn_pending_sel, word))
        mark_upcall(env, d, v);
}

}  // namespace keel::evtchn
