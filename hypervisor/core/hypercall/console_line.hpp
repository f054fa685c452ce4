// SPDX-License-Identifier: MIT
//
// core/hypercall/console_line.hpp
// Owns how a domU's CONSOLEIO_write bytes become lines on keel's console, as
// Xen 4.17's guest_console_write does for a non-hardware domain: non-printable
// bytes other than tab are dropped, output is held until a newline, a line
// longer than the buffer (Xen's DOMAIN_PBUF_SIZE, 200) is broken there. The
// caller prints each line with the domain's "(d<N>) " prefix. Pure; the
// caller holds the lock that guards the ConsoleLine.
#pragma once
#include <cstddef>
#include <cstdint>

namespace keel {

inline constexpr size_t kConsoleLineMax = 200;

struct ConsoleLine {
    char text[kConsoleLineMax] = {};  // NUL-terminated when emitted
    uint32_t len = 0;
};

using ConsoleLineSink = void (*)(void* ctx, const char* line);

/// Feeds `n` bytes; calls sink(ctx, line) for every completed line (without
/// its newline, NUL-terminated).
void console_line_feed(ConsoleLine& l, const char* bytes, size_t n, ConsoleLineSink sink,
                       void* ctx);

}  // namespace keel
