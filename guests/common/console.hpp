// SPDX-License-Identifier: MIT
//
// guests/common/console.hpp
// Owns a test guest's output: bytes to the vPL011 at 0x22000000 (GUEST_PL011_BASE,
// xen/include/public/arch-arm.h), and print(), a small printf for "%s %c %d %u %x
// %lu %ld %lx %p %%". Only one vCPU prints at a time (the guests arrange that).
#pragma once
#include <cstdarg>
#include <cstdint>

namespace guest {

inline constexpr uint64_t kUartBase = 0x22000000;
inline constexpr uint64_t kUartDr = kUartBase + 0x000;
inline constexpr uint64_t kUartFr = kUartBase + 0x018;
inline constexpr uint64_t kUartImsc = kUartBase + 0x038;
inline constexpr uint64_t kUartRis = kUartBase + 0x03c;
inline constexpr uint64_t kUartMis = kUartBase + 0x040;
inline constexpr uint64_t kUartIcr = kUartBase + 0x044;
inline constexpr uint32_t kUartFrTxff = 1u << 5;
inline constexpr uint32_t kUartFrRxfe = 1u << 4;
inline constexpr uint32_t kUartFrTxfe = 1u << 7;
inline constexpr uint32_t kUartFrBusy = 1u << 3;
inline constexpr uint32_t kUartIntTx = 1u << 5;
inline constexpr uint32_t kUartIntRx = 1u << 4;
inline constexpr uint32_t kUartIntRt = 1u << 6;

void putc(char c);
void puts(const char* s);  // no newline added
void print(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void vprint(const char* fmt, va_list ap);

}  // namespace guest
