// SPDX-License-Identifier: MIT
//
// core/hypercall/console_line.cpp
// Owns the line assembly of guest console writes (see console_line.hpp). Pure.
#include "core/hypercall/console_line.hpp"

namespace keel {
namespace {

bool printable(char c) { return (c >= 0x20 && c < 0x7f) || c == '\t'; }

void emit(ConsoleLine& l, ConsoleLineSink sink, void* ctx)
{
    l.text[l.len] = '\0';
    sink(ctx, l.text);
    l.len = 0;
}

}  // namespace

void console_line_feed(ConsoleLine& l, const char* bytes, size_t n, ConsoleLineSink sink,
                       void* ctx)
{
    for (size_t i = 0; i < n; ++i) {
        const char c = bytes[i];
        if (c == '\n') {
            emit(l, sink, ctx);
            continue;
        }
        if (!printable(c)) continue;
        l.text[l.len++] = c;
        if (l.len == kConsoleLineMax - 1) emit(l, sink, ctx);
    }
}

}  // namespace keel
