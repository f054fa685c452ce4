// SPDX-License-Identifier: MIT
//
// arch/arm64/psci/psci_abi.cpp
// Owns the names of PSCI return codes and their mapping onto Errno.
#include "arch/arm64/psci/psci_abi.hpp"

namespace keel::arm64::psci {

const char* status_name(Status s)
{
    switch (s) {
    case Status::Success: return "SUCCESS";
    case Status::NotSupported: return "NOT_SUPPORTED";
    case Status::InvalidParameters: return "INVALID_PARAMETERS";
    case Status::Denied: return "DENIED";
    case Status::AlreadyOn: return "ALREADY_ON";
    case Status::OnPending: return "ON_PENDING";
    case Status::InternalFailure: return "INTERNAL_FAILURE";
    case Status::NotPresent: return "NOT_PRESENT";
    case Status::Disabled: return "DISABLED";
    case Status::InvalidAddress: return "INVALID_ADDRESS";
    }
    return "unknown PSCI status";
}

Errno errno_of(Status s)
{
    switch (s) {
    case Status::Success: break;
    case Status::NotSupported: return Errno::OpNotSupp;
    case Status::InvalidParameters: return Errno::Inval;
    case Status::Denied: return Errno::Perm;
    case Status::AlreadyOn: return Errno::Exist;
    case Status::OnPending: return Errno::Busy;
    case Status::InternalFailure: return Errno::Io;
    case Status::NotPresent: return Errno::NoDev;
    case Status::Disabled: return Errno::Acces;
    case Status::InvalidAddress: return Errno::Fault;
    }
    return Errno::Io;
}

}  // namespace keel::arm64::psci
