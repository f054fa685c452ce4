// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/psci/psci_abi_test.cpp
// Checks PSCI function IDs and return-code decoding against DEN 0022.
#include "arch/arm64/psci/psci_abi.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace keel::arm64::psci {
namespace {

TEST(PsciAbi, FunctionIds)
{
    EXPECT_EQ(PSCI_VERSION, 0x8400'0000u);
    EXPECT_EQ(CPU_ON, 0xC400'0003u);
    EXPECT_EQ(SYSTEM_OFF, 0x8400'0008u);
    EXPECT_EQ(SYSTEM_RESET, 0x8400'0009u);
}

TEST(PsciAbi, StatusDecoding)
{
    EXPECT_EQ(status_of(0), Status::Success);
    // Negative int32 in w0, whatever the upper half of x0 holds.
    EXPECT_EQ(status_of(0xffff'ffff'ffff'fffcull), Status::AlreadyOn);
    EXPECT_EQ(status_of(0x0000'0000'ffff'fffeull), Status::InvalidParameters);
    EXPECT_EQ(status_of(static_cast<uint64_t>(-9)), Status::InvalidAddress);
    EXPECT_STREQ(status_name(Status::AlreadyOn), "ALREADY_ON");
    EXPECT_STREQ(status_name(Status::InvalidParameters), "INVALID_PARAMETERS");
    EXPECT_STREQ(status_name(static_cast<Status>(-42)), "unknown PSCI status");
}

TEST(PsciAbi, ErrnoMapping)
{
    EXPECT_EQ(errno_of(Status::NotSupported), Errno::OpNotSupp);
    EXPECT_EQ(errno_of(Status::InvalidParameters), Errno::Inval);
    EXPECT_EQ(errno_of(Status::Denied), Errno::Perm);
    EXPECT_EQ(errno_of(Status::AlreadyOn), Errno::Exist);
    EXPECT_EQ(errno_of(Status::OnPending), Errno::Busy);
    EXPECT_EQ(errno_of(Status::InvalidAddress), Errno::Fault);
    EXPECT_EQ(errno_of(static_cast<Status>(-42)), Errno::Io);
}

TEST(PsciAbi, VersionFields)
{
    EXPECT_EQ(Version::Major::get(0x0001'0001), 1u);  // PSCI 1.1
    EXPECT_EQ(Version::Minor::get(0x0001'0001), 1u);
    EXPECT_EQ(Version::Major::get(0x0000'0002), 0u);  // PSCI 0.2
    EXPECT_EQ(Version::Minor::get(0x0000'0002), 2u);
}

}  // namespace
}  // namespace keel::arm64::psci
