// SPDX-License-Identifier: MIT
//
// guests/common/tap.hpp
// Owns a test guest's report, in TAP (Test Anything Protocol) lines on its
// console: "ok N - what" / "not ok N - what", "# note" lines, and at the end the
// plan "1..N", "# guest done" and PSCI SYSTEM_OFF. keel prints each line as
// "(d<domid>) <line>"; the scenario runner looks for them there.
#pragma once
#include <cstdint>

namespace guest::tap {

/// One numbered result; returns `pass`.
bool ok(bool pass, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
/// A "# ..." note line.
void note(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
/// Results reported so far, and how many failed.
uint32_t count();
uint32_t failed();
/// The plan line, "# guest done", then PSCI SYSTEM_OFF.
[[noreturn]] void done();
/// "not ok N - <why>" and "Bail out!", then done().
[[noreturn]] void bail(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace guest::tap
