// SPDX-License-Identifier: MIT
//
// guests/bench/benches.hpp
// Owns the list of benchmarks of the benchmark guest: one entry point per
// "bench=<name>" (main.cpp dispatches on it). Each reads its own bootargs, prints
// its BENCH lines (guests/common/bench.hpp) and ends with bench::finish().
#pragma once

namespace guest::bench {

[[noreturn]] void run_hypercall(const char* args);
[[noreturn]] void run_evtchn(const char* args);
[[noreturn]] void run_timer(const char* args);
[[noreturn]] void run_busy(const char* args);
[[noreturn]] void run_switch(const char* args);
[[noreturn]] void run_grant(const char* args);

}  // namespace guest::bench
