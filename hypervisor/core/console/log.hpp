// SPDX-License-Identifier: MIT
//
// core/console/log.hpp
// Owns keel's log: log("...{}...", args) formats one line and writes it whole to
// the console (one lock, so lines from different CPUs never interleave).
#pragma once
#include <cstddef>

#include "lib/fmt.hpp"

namespace keel {

class Pl011;

namespace console {
void attach(const Pl011& uart);   // where output goes from now on
void set_smp(bool on);            // take the console lock from now on (secondaries are up)
void write_raw(const char* text);  // a whole, already formatted text
void write_bytes(const char* text, size_t len);  // bytes as they are (no "\r\n" for '\n')
const Pl011& uart();               // the console UART (its receive side: console mux)
}  // namespace console

inline constexpr size_t kLogLineMax = 320;

template <typename... Args>
void log(const char* fmt, const Args&... args)
{
    char storage[kLogLineMax];
    FmtBuffer buf{storage, sizeof storage};
    format_to(buf, fmt, args...);
    console::write_raw(buf.c_str());
}

}  // namespace keel
