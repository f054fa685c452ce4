// SPDX-License-Identifier: MIT
//
// core/console/console_ring.cpp
// Owns the console ring's writes and Xen-compatible reads (see
// console_ring.hpp) and keel's one ring. Pure.
#include "core/console/console_ring.hpp"

namespace keel {

void ConsoleRing::put(const char* text, size_t len)
{
    if (locking_) lock_.lock();
    for (size_t i = 0; i < len; ++i) buf_[prod_++ & (kSize - 1)] = text[i];
    if (prod_ - cons_ > kSize) cons_ = prod_ - kSize;
    if (locking_) lock_.unlock();
}

void ConsoleRing::put(const char* text)
{
    size_t len = 0;
    while (text != nullptr && text[len] != '\0') ++len;
    put(text, len);
}

Result<ConsoleRing::ReadResult> ConsoleRing::read(bool clear, bool incremental, uint32_t index,
                                                  uint32_t max, Sink sink, void* ctx)
{
    uint32_t c = 0;
    {
        LockGuard guard{lock_};
        c = cons_;
        const uint32_t p = prod_;
        // Xen: an incremental start counts only when it lies in (c, p].
        if (incremental && (c <= p ? (c < index && index <= p) : (c < index || index <= p))) c = index;
    }
    uint32_t sofar = 0;
    char chunk[kChunk];
    while (sofar < max) {
        uint32_t n = 0;
        {
            LockGuard guard{lock_};
            const uint32_t p = prod_;
            if (p - c > kSize) c = p - kSize;  // overwritten meanwhile: start at the oldest kept
            if (c == p) break;
            n = p - c;
            if (n > kChunk) n = kChunk;
            if (n > max - sofar) n = max - sofar;
            for (uint32_t i = 0; i < n; ++i) chunk[i] = buf_[(c + i) & (kSize - 1)];
        }
        if (!sink(ctx, sofar, chunk, n)) return Errno::Fault;
        sofar += n;
        c += n;
    }
    if (clear) {
        LockGuard guard{lock_};
        cons_ = prod_ - c > kSize ? prod_ - kSize : c;
    }
    return ReadResult{sofar, c};
}

ConsoleRing& console_ring()
{
    static constinit ConsoleRing ring;  // the platform's one ring
    return ring;
}

}  // namespace keel
