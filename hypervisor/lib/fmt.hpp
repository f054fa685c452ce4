// SPDX-License-Identifier: MIT
//
// lib/fmt.hpp
// Owns keel's type-safe text formatting: format_to(buffer, "x={} y={:#x}", a, b).
// Supported specs: {} {:x} {:#x} {:X} {:0Nx} {:#0Nx} {:N} {:<N} {:d} {:s}.
// Arguments are captured as FmtArg (a tagged value) so the formatter itself is
// one non-template function. Never allocates; output is truncated to the buffer.
#pragma once
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "lib/addr.hpp"

namespace keel {

struct FmtArg {
    enum class Kind : uint8_t { Signed, Unsigned, Str, Char, Bool, Ptr };
    Kind kind;
    union {
        int64_t s;
        uint64_t u;
        const char* str;
        const void* ptr;
    };

    template <typename T>
        requires std::is_integral_v<T> && (!std::is_same_v<T, bool>) && (!std::is_same_v<T, char>)
    constexpr FmtArg(T v)  // NOLINT: implicit by design
    {
        if constexpr (std::is_signed_v<T>) {
            kind = Kind::Signed;
            s = v;
        } else {
            kind = Kind::Unsigned;
            u = v;
        }
    }
    template <typename E>
        requires std::is_enum_v<E>
    constexpr FmtArg(E v) : kind{Kind::Signed}, s{static_cast<int64_t>(v)}
    {
    }
    constexpr FmtArg(bool v) : kind{Kind::Bool}, u{v ? 1u : 0u} {}
    constexpr FmtArg(char v) : kind{Kind::Char}, u{static_cast<unsigned char>(v)} {}
    constexpr FmtArg(const char* v) : kind{Kind::Str}, str{v} {}
    constexpr FmtArg(char* v) : kind{Kind::Str}, str{v} {}
    constexpr FmtArg(const void* v) : kind{Kind::Ptr}, ptr{v} {}
    template <typename Tag>
    constexpr FmtArg(Addr<Tag> a) : kind{Kind::Ptr}, u{a.raw()}
    {
    }
    template <typename A>
    constexpr FmtArg(FrameNumber<A> f) : kind{Kind::Unsigned}, u{f.raw()}
    {
    }
};

// A fixed buffer that format_to appends to; always NUL-terminated.
class FmtBuffer {
public:
    FmtBuffer(char* data, size_t capacity) : data_{data}, cap_{capacity} { data_[0] = '\0'; }
    void put(char c)
    {
        if (len_ + 1 < cap_) {
            data_[len_++] = c;
            data_[len_] = '\0';
        }
    }
    void put(const char* s)
    {
        while (*s != '\0') put(*s++);
    }
    const char* c_str() const { return data_; }
    size_t size() const { return len_; }
    void clear()
    {
        len_ = 0;
        data_[0] = '\0';
    }

private:
    char* data_;
    size_t cap_;
    size_t len_ = 0;
};

void vformat_to(FmtBuffer& out, const char* fmt, const FmtArg* args, size_t nargs);

template <typename... Args>
void format_to(FmtBuffer& out, const char* fmt, const Args&... args)
{
    if constexpr (sizeof...(Args) == 0) {
        vformat_to(out, fmt, nullptr, 0);
    } else {
        const FmtArg list[] = {FmtArg(args)...};
        vformat_to(out, fmt, list, sizeof...(Args));
    }
}

}  // namespace keel
