// SPDX-License-Identifier: MIT
//
// lib/relaxed_copy.hpp
// Owns copying and zeroing memory that another party (a guest, on another CPU)
// may access at the same time: relaxed atomic loads and stores, which the
// compiler cannot merge into a memcpy/memset call nor split, in 64-bit words
// when both ends and the length are 8-byte aligned (on AArch64 in 64-byte steps
// of LDP/STP pairs, each pair element single-copy atomic), bytes otherwise.
// keel's own memcpy (lib/string.cpp) promises no access size; guest copies use these.
#pragma once
#include <cstddef>
#include <cstdint>

namespace keel {

#if defined(__aarch64__)
// 64 bytes per step with LDP/STP, both ends 8-byte aligned: each 64-bit element
// of a pair is a single-copy atomic access (Arm ARM B2.2.1), so this is the
// word loop below in a quarter of its instructions. Returns the bytes done.
inline size_t relaxed_copy_blocks64(uint64_t* dst, const uint64_t* src, size_t n)
{
    const size_t blocks = n / 64;
    if (blocks == 0) return 0;
    uint64_t a, b, c, d, e, f, g, h;
    size_t left = blocks;
    asm volatile(
        "1:\n"
        "ldp %[a], %[b], [%[s]]\n"
        "ldp %[c], %[d], [%[s], #16]\n"
        "ldp %[e], %[f], [%[s], #32]\n"
        "ldp %[g], %[h], [%[s], #48]\n"
        "add %[s], %[s], #64\n"
        "stp %[a], %[b], [%[d0]]\n"
        "stp %[c], %[d], [%[d0], #16]\n"
        "stp %[e], %[f], [%[d0], #32]\n"
        "stp %[g], %[h], [%[d0], #48]\n"
        "add %[d0], %[d0], #64\n"
        "subs %[n], %[n], #1\n"
        "b.ne 1b\n"
        : [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c), [d] "=&r"(d), [e] "=&r"(e), [f] "=&r"(f),
          [g] "=&r"(g), [h] "=&r"(h), [s] "+r"(src), [d0] "+r"(dst), [n] "+r"(left)
        :
        : "memory", "cc");
    return blocks * 64;
}
#endif

inline void relaxed_copy(void* dst, const void* src, size_t n)
{
    if (((reinterpret_cast<uintptr_t>(dst) | reinterpret_cast<uintptr_t>(src) | n) & 7) == 0) {
        auto* dw = static_cast<uint64_t*>(dst);
        const auto* sw = static_cast<const uint64_t*>(src);
#if defined(__aarch64__)
        const size_t done = relaxed_copy_blocks64(dw, sw, n);
        dw += done / 8;
        sw += done / 8;
        n -= done;
#endif
        for (size_t i = 0; i < n / 8; ++i)
            __atomic_store_n(&dw[i], __atomic_load_n(&sw[i], __ATOMIC_RELAXED), __ATOMIC_RELAXED);
        return;
    }
    auto* db = static_cast<uint8_t*>(dst);
    const auto* sb = static_cast<const uint8_t*>(src);
    for (size_t i = 0; i < n; ++i)
        __atomic_store_n(&db[i], __atomic_load_n(&sb[i], __ATOMIC_RELAXED), __ATOMIC_RELAXED);
}

inline void relaxed_zero(void* dst, size_t n)
{
    if (((reinterpret_cast<uintptr_t>(dst) | n) & 7) == 0) {
        auto* dw = static_cast<uint64_t*>(dst);
        for (size_t i = 0; i < n / 8; ++i) __atomic_store_n(&dw[i], uint64_t{0}, __ATOMIC_RELAXED);
        return;
    }
    auto* db = static_cast<uint8_t*>(dst);
    for (size_t i = 0; i < n; ++i) __atomic_store_n(&db[i], uint8_t{0}, __ATOMIC_RELAXED);
}

}  // namespace keel
