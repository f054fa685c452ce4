// SPDX-License-Identifier: MIT
//
// core/selftest/selftest.hpp
// Owns the on-target self-test protocol (command-line option keel.selftest):
// each check that needs the real CPU reports one TAP-like line
// "ok N - name" / "not ok N - name", and the run ends with a plan line and a
// summary. The checks themselves live beside the code they check.
#pragma once

namespace keel::selftest {

// Prints the result of one check and counts it.
void report(bool ok, const char* name);
// Prints "# detail" diagnostics under the current check.
void note(const char* text);
// Prints "1..N" and "# selftest: P passed, F failed"; returns true when all passed.
bool finish();

}  // namespace keel::selftest
