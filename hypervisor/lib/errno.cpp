// SPDX-License-Identifier: MIT
//
// lib/errno.cpp
// Owns the printable names of Errno values (for log lines).
#include "lib/errno.hpp"

namespace keel {

const char* errno_name(Errno e)
{
    switch (e) {
    case Errno::Perm: return "EPERM";
    case Errno::NoEnt: return "ENOENT";
    case Errno::Srch: return "ESRCH";
    case Errno::Io: return "EIO";
    case Errno::NxIo: return "ENXIO";
    case Errno::TooBig: return "E2BIG";
    case Errno::Again: return "EAGAIN";
    case Errno::NoMem: return "ENOMEM";
    case Errno::Acces: return "EACCES";
    case Errno::Fault: return "EFAULT";
    case Errno::Busy: return "EBUSY";
    case Errno::Exist: return "EEXIST";
    case Errno::NoDev: return "ENODEV";
    case Errno::Inval: return "EINVAL";
    case Errno::NoSpc: return "ENOSPC";
    case Errno::Range: return "ERANGE";
    case Errno::NoSys: return "ENOSYS";
    case Errno::NotEmpty: return "ENOTEMPTY";
    case Errno::NoData: return "ENODATA";
    case Errno::Overflow: return "EOVERFLOW";
    case Errno::OpNotSupp: return "EOPNOTSUPP";
    case Errno::TimedOut: return "ETIMEDOUT";
    }
    return "E?";
}

}  // namespace keel
