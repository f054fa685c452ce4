// SPDX-License-Identifier: MIT
//
// arch/arm64/entry/fault_report.hpp
// Owns the report printed when keel itself faults or panics: the exception
// decoded (class, ESR, FAR, ELR), every general register, and a frame-pointer
// backtrace walked defensively (bounded depth, only inside keel's stacks).
#pragma once
#include <cstdint>

#include "arch/arm64/entry/trap_frame.hpp"

namespace keel::arm64 {

void print_fault_report(const TrapFrame& frame, VectorKind kind);
// Backtrace from a frame-pointer chain starting at `fp` (x29), first PC `pc`.
void print_backtrace(uint64_t pc, uint64_t fp);

}  // namespace keel::arm64
