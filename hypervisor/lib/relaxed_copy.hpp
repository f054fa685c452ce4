// SPDX-License-Identifier: MIT
//
// lib/relaxed_copy.hpp
// Owns copying and zeroing memory that another party (a guest, on another CPU)
// may access at the same time: relaxed atomic loads and stores, which the
// compiler cannot merge into a memcpy/memset call nor split, in 64-bit words
// when both ends and the length are 8-byte aligned (a page: 512 accesses),
// bytes otherwise. keel's own memcpy is byte-wise; guest copies use these.
#pragma once
#include <cstddef>
#include <cstdint>

namespace keel {

inline void relaxed_copy(void* dst, const void* src, size_t n)
{
    if (((reinterpret_cast<uintptr_t>(dst) | reinterpret_cast<uintptr_t>(src) | n) & 7) == 0) {
        auto* dw = static_cast<uint64_t*>(dst);
        const auto* sw = static_cast<const uint64_t*>(src);
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
