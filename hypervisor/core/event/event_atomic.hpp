// SPDX-License-Identifier: MIT
//
// core/event/event_atomic.hpp
// Owns the atomic bit operations keel uses on words the guest shares with it
// (vcpu_info, shared_info bitmaps, FIFO control blocks and event words): the
// guest changes them concurrently with its own atomics, so keel never does a
// plain read-modify-write there. Sequentially consistent __atomic builtins
// (inline LL/SC loops on the target: -mno-outline-atomics). Pure.
#pragma once
#include <cstdint>

namespace keel::evtchn_atomic {

template <typename T>
inline T bit(uint32_t n)
{
    return static_cast<T>(T{1} << n);
}

/// Sets bit n of *w; returns whether it was set before.
template <typename T>
inline bool test_and_set(T* w, uint32_t n)
{
    return (__atomic_fetch_or(w, bit<T>(n), __ATOMIC_SEQ_CST) & bit<T>(n)) != 0;
}

/// Clears bit n of *w; returns whether it was set before.
template <typename T>
inline bool test_and_clear(T* w, uint32_t n)
{
    return (__atomic_fetch_and(w, static_cast<T>(~bit<T>(n)), __ATOMIC_SEQ_CST) & bit<T>(n)) != 0;
}

template <typename T>
inline bool test(const T* w, uint32_t n)
{
    return (__atomic_load_n(w, __ATOMIC_SEQ_CST) & bit<T>(n)) != 0;
}

template <typename T>
inline T load(const T* w)
{
    return __atomic_load_n(w, __ATOMIC_SEQ_CST);
}

template <typename T>
inline void store(T* w, T v)
{
    __atomic_store_n(w, v, __ATOMIC_SEQ_CST);
}

template <typename T>
inline T exchange(T* w, T v)
{
    return __atomic_exchange_n(w, v, __ATOMIC_SEQ_CST);
}

/// Compare-and-swap; on failure *expected receives the current value.
template <typename T>
inline bool cas(T* w, T* expected, T desired)
{
    return __atomic_compare_exchange_n(w, expected, desired, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}

}  // namespace keel::evtchn_atomic
