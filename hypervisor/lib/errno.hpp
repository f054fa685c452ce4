// SPDX-License-Identifier: MIT
//
// lib/errno.hpp
// Owns keel's error codes. Values are Xen's public ABI (xen/include/public/errno.h),
// so a hypercall returns -static_cast<int>(e). Enumerators avoid libc macro names.
#pragma once
#include <cstdint>

namespace keel {

enum class Errno : int16_t {
    Perm = 1,
    NoEnt = 2,
    Srch = 3,
    Io = 5,
    NxIo = 6,
    TooBig = 7,
    Again = 11,
    NoMem = 12,
    Acces = 13,
    Fault = 14,
    Busy = 16,
    Exist = 17,
    NoDev = 19,
    Inval = 22,
    NoSpc = 28,
    Range = 34,
    NoSys = 38,
    NotEmpty = 39,
    NoData = 61,
    Overflow = 75,
    OpNotSupp = 95,
    TimedOut = 110,
};

const char* errno_name(Errno e);

}  // namespace keel
