// SPDX-License-Identifier: MIT
//
// arch/arm64/hw/spinlock.hpp
// Owns SpinLock (a ticket lock over std::atomic, wfe while waiting) and its RAII
// guard. keel runs with interrupts masked at EL2, so there are no irq-save variants.
#pragma once
#include <atomic>
#include <cstdint>

namespace keel {

class SpinLock {
public:
    void lock()
    {
        const uint16_t ticket = next_.fetch_add(1, std::memory_order_relaxed);
        while (owner_.load(std::memory_order_acquire) != ticket) {
#if defined(__aarch64__)
            asm volatile("wfe" ::: "memory");
#endif
        }
    }
    void unlock()
    {
        owner_.store(static_cast<uint16_t>(owner_.load(std::memory_order_relaxed) + 1),
                     std::memory_order_release);
#if defined(__aarch64__)
        asm volatile("dsb ishst\n\tsev" ::: "memory");
#endif
    }

private:
    std::atomic<uint16_t> next_{0};
    std::atomic<uint16_t> owner_{0};
};

class LockGuard {
public:
    explicit LockGuard(SpinLock& l) : lock_{l} { lock_.lock(); }
    ~LockGuard() { lock_.unlock(); }
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;

private:
    SpinLock& lock_;
};

}  // namespace keel
