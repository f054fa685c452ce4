// SPDX-License-Identifier: MIT
//
// guests/common/console.cpp
// Owns the guest's console output (see console.hpp).
#include "console.hpp"

#include <cstdarg>

#include "arch.hpp"

namespace guest {
namespace {

void put_unsigned(uint64_t v, unsigned base)
{
    char digits[24];
    int n = 0;
    do {
        const auto d = static_cast<unsigned>(v % base);
        digits[n++] = static_cast<char>(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v != 0);
    while (n > 0) putc(digits[--n]);
}

void put_signed(int64_t v)
{
    if (v < 0) {
        putc('-');
        put_unsigned(static_cast<uint64_t>(-(v + 1)) + 1, 10);
    } else {
        put_unsigned(static_cast<uint64_t>(v), 10);
    }
}

}  // namespace

void putc(char c)
{
    // UARTFR.TXFF: keel's vPL011 never reports full, but a guest must look.
    for (int spins = 0; spins < 1000000 && (mmio_read32(kUartFr) & kUartFrTxff) != 0; ++spins) {
    }
    mmio_write32(kUartDr, static_cast<uint8_t>(c));
}

void puts(const char* s)
{
    for (; *s != '\0'; ++s) putc(*s);
}

void print(const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
}

void vprint(const char* fmt, va_list ap)
{
    for (const char* p = fmt; *p != '\0'; ++p) {
        if (*p != '%') {
            putc(*p);
            continue;
        }
        ++p;
        const bool is_long = *p == 'l';
        if (is_long) ++p;
        switch (*p) {
        case 's': {
            const char* s = va_arg(ap, const char*);
            puts(s != nullptr ? s : "(null)");
            break;
        }
        case 'c': putc(static_cast<char>(va_arg(ap, int))); break;
        case 'd':
            put_signed(is_long ? va_arg(ap, long) : va_arg(ap, int));
            break;
        case 'u':
            put_unsigned(is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10);
            break;
        case 'x':
            put_unsigned(is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16);
            break;
        case 'p':
            puts("0x");
            put_unsigned(reinterpret_cast<uint64_t>(va_arg(ap, void*)), 16);
            break;
        case '%': putc('%'); break;
        case '\0': --p; break;
        default:
            putc('%');
            putc(*p);
            break;
        }
    }
}

}  // namespace guest
