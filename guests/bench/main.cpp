// SPDX-License-Identifier: MIT
//
// guests/bench/main.cpp
// The benchmark guest: one binary for every benchmark of issue [bench], run
// unchanged on keel and on Xen 4.17 as a plain dom0less domU. /chosen/bootargs
// picks the benchmark: "bench=<hypercall|evtchn|timer|busy|switch|grant>
// [role=a|b] [peer=<domid>] [iters=<n>] [seconds=<s>] [pages=<n>] ...". Output
// contract: guests/common/bench.hpp; the harness is bench/.
#include "bench.hpp"
#include "benches.hpp"
#include "guest.hpp"

using namespace guest;

void test_main(uint64_t)
{
    const char* args = dt().bootargs;
    bench::note("bootargs \"%s\"", args);
    if (bench::arg_is(args, "bench", "hypercall")) bench::run_hypercall(args);
    if (bench::arg_is(args, "bench", "evtchn")) bench::run_evtchn(args);
    if (bench::arg_is(args, "bench", "timer")) bench::run_timer(args);
    if (bench::arg_is(args, "bench", "busy")) bench::run_busy(args);
    if (bench::arg_is(args, "bench", "switch")) bench::run_switch(args);
    if (bench::arg_is(args, "bench", "grant")) bench::run_grant(args);
    bench::fail("unknown", "bootargs name no known bench=<hypercall|evtchn|timer|busy|switch|grant>");
}
