// SPDX-License-Identifier: MIT
//
// lib/string.cpp
// Owns the C memory and string functions the compiler may emit calls to in a
// freestanding image (memcpy, memset, memmove, memcmp, strlen). Target build only:
// the host build uses the C library's.
#include <cstddef>
#include <cstdint>

namespace {

// Whole 8-byte words where both ends are 8-byte aligned (struct copies such as
// a TrapFrame on every vCPU switch), bytes otherwise: aligned accesses are
// safe under -mstrict-align and with the MMU off. may_alias: a word may overlay
// any object type.
using Word [[gnu::may_alias]] = uint64_t;

bool word_aligned(const void* a, const void* b)
{
    return ((reinterpret_cast<uintptr_t>(a) | reinterpret_cast<uintptr_t>(b)) & 7) == 0;
}
// Word k at p (p 8-byte aligned: word_aligned checked it).
Word load(const unsigned char* p, size_t k) { return static_cast<const Word*>(static_cast<const void*>(p))[k]; }
void store(unsigned char* p, size_t k, Word w) { static_cast<Word*>(static_cast<void*>(p))[k] = w; }

}  // namespace

extern "C" {

void* memcpy(void* dst, const void* src, size_t n)
{
    auto* d = static_cast<unsigned char*>(dst);
    const auto* s = static_cast<const unsigned char*>(src);
    if (word_aligned(d, s)) {
        for (; n >= 32; n -= 32, d += 32, s += 32) {
            const Word a = load(s, 0), b = load(s, 1), c = load(s, 2), e = load(s, 3);
            store(d, 0, a);
            store(d, 1, b);
            store(d, 2, c);
            store(d, 3, e);
        }
        for (; n >= 8; n -= 8, d += 8, s += 8) store(d, 0, load(s, 0));
    }
    while (n-- != 0) *d++ = *s++;
    return dst;
}

void* memmove(void* dst, const void* src, size_t n)
{
    auto* d = static_cast<unsigned char*>(dst);
    const auto* s = static_cast<const unsigned char*>(src);
    if (d < s) {
        while (n-- != 0) *d++ = *s++;
    } else {
        d += n;
        s += n;
        while (n-- != 0) *--d = *--s;
    }
    return dst;
}

void* memset(void* dst, int c, size_t n)
{
    auto* d = static_cast<unsigned char*>(dst);
    if (word_aligned(d, d)) {
        const Word w = uint64_t{0x0101010101010101} * static_cast<unsigned char>(c);
        for (; n >= 32; n -= 32, d += 32) {
            store(d, 0, w);
            store(d, 1, w);
            store(d, 2, w);
            store(d, 3, w);
        }
        for (; n >= 8; n -= 8, d += 8) store(d, 0, w);
    }
    while (n-- != 0) *d++ = static_cast<unsigned char>(c);
    return dst;
}

int memcmp(const void* a, const void* b, size_t n)
{
    const auto* x = static_cast<const unsigned char*>(a);
    const auto* y = static_cast<const unsigned char*>(b);
    for (; n != 0; --n, ++x, ++y)
        if (*x != *y) return *x < *y ? -1 : 1;
    return 0;
}

size_t strlen(const char* s)
{
    size_t n = 0;
    while (s[n] != '\0') ++n;
    return n;
}

}  // extern "C"
