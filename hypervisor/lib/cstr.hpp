// SPDX-License-Identifier: MIT
//
// lib/cstr.hpp
// Owns the few C-string helpers keel's parsers share (length, equality, prefix)
// and StrRef, a non-owning (pointer, length) view of text that is not
// NUL-terminated where it ends (a command-line word, a path component).
// Header-only and byte-at-a-time: safe on a device tree read with the MMU off.
#pragma once
#include <cstddef>

namespace keel {

constexpr size_t cstr_len(const char* s)
{
    size_t n = 0;
    while (s[n] != '\0') ++n;
    return n;
}

constexpr bool cstr_eq(const char* a, const char* b)
{
    for (; *a != '\0' && *a == *b; ++a, ++b) {
    }
    return *a == *b;
}

// Copies `src` into `dst` of `cap` bytes (cap > 0), truncating; always NUL-terminated.
constexpr void cstr_copy(char* dst, const char* src, size_t cap)
{
    size_t i = 0;
    for (; i + 1 < cap && src[i] != '\0'; ++i) dst[i] = src[i];
    dst[i] = '\0';
}

// A view of `len` bytes at `data`; never reads past them.
struct StrRef {
    const char* data = nullptr;
    size_t len = 0;

    constexpr bool empty() const { return len == 0; }
    constexpr bool present() const { return data != nullptr; }
    // True when the view holds exactly the NUL-terminated string `s`.
    constexpr bool equals(const char* s) const
    {
        size_t i = 0;
        for (; i < len; ++i)
            if (s[i] == '\0' || s[i] != data[i]) return false;
        return s[i] == '\0';
    }
    constexpr bool starts_with(const char* prefix) const
    {
        size_t i = 0;
        for (; prefix[i] != '\0'; ++i)
            if (i >= len || data[i] != prefix[i]) return false;
        return true;
    }
    constexpr StrRef drop(size_t n) const
    {
        return n >= len ? StrRef{data + len, 0} : StrRef{data + n, len - n};
    }
};

}  // namespace keel
