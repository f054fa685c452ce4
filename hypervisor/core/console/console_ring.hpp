// SPDX-License-Identifier: MIT
//
// core/console/console_ring.hpp
// Owns the console ring: the last 16 KiB of everything keel printed (its log
// lines and the guests' console output it passes on), what dom0 reads with
// XEN_SYSCTL_readconsole (`xl dmesg`) — Xen's conring. Producer and consumer
// are free-running 32-bit indices; writing past a full ring moves the
// consumer on (the oldest bytes are lost). Reading follows Xen 4.17's
// read_console_ring (drivers/char/console.c): from the consumer, or from the
// caller's index when it still lies in the unread part (incremental); up to
// the caller's count; "clear" moves the consumer to where the read stopped.
// Pure: bytes leave through a sink (the target copies them to the caller).
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/percpu.hpp"  // SpinLock
#include "lib/result.hpp"

namespace keel {

class ConsoleRing {
public:
    static constexpr uint32_t kSize = 16 * 1024;  // a power of two

    /// Appends `len` bytes (any CPU; takes the ring's leaf lock once
    /// set_locking(true): before that only the boot CPU runs, perhaps with the
    /// MMU off, where exclusive accesses need not work).
    void put(const char* text, size_t len);
    /// Appends a NUL-terminated text.
    void put(const char* text);

    /// Receives the bytes read, `len` at `offset` of the caller's buffer, in
    /// order; false when the caller's buffer faults (the read stops: Fault).
    using Sink = bool (*)(void* ctx, uint32_t offset, const char* bytes, uint32_t len);

    struct ReadResult {
        uint32_t count = 0;  // bytes given to the sink
        uint32_t index = 0;  // where the read ended (the next incremental start)
    };

    /// XEN_SYSCTL_readconsole. The sink is called without the lock held (on
    /// chunks snapshotted under it), so it may fault and take its time.
    Result<ReadResult> read(bool clear, bool incremental, uint32_t index, uint32_t max, Sink sink,
                            void* ctx);

    void set_locking(bool on) { locking_ = on; }

    uint32_t producer() const { return prod_; }
    uint32_t consumer() const { return cons_; }

private:
    static constexpr uint32_t kChunk = 256;  // bytes copied out per lock hold

    SpinLock lock_;
    bool locking_ = false;
    char buf_[kSize] = {};
    uint32_t prod_ = 0;  // next byte written (free-running)
    uint32_t cons_ = 0;  // oldest unread byte (free-running)
};

/// keel's one console ring (written by core/console/log.cpp).
ConsoleRing& console_ring();

}  // namespace keel
