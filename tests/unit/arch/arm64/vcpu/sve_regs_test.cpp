// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/vcpu/sve_regs_test.cpp
// SveRegs (arch/arm64/vcpu/vcpu_context.hpp): a vCPU's SVE buffer goes back
// through the release function its allocator set, once, when the Vcpu goes; a
// vCPU without SVE releases nothing.
#include <gtest/gtest.h>

#include <new>

#include "core/domain/vcpu.hpp"

namespace keel::arm64 {
namespace {

int g_released = 0;
size_t g_released_bytes = 0;
void fake_release(void* p, size_t bytes)
{
    ++g_released;
    g_released_bytes = bytes;
    ::operator delete(p);
}

TEST(SveRegs, BufferGoesBackWithTheVcpu)
{
    g_released = 0;
    {
        Vcpu v;
        v.fp.sve.regs = static_cast<uint8_t*>(::operator new(2184));
        v.fp.sve.bytes = 2184;
        v.fp.sve.release = fake_release;
    }
    EXPECT_EQ(g_released, 1);
    EXPECT_EQ(g_released_bytes, 2184u);
}

TEST(SveRegs, NoSveNothingReleased)
{
    g_released = 0;
    {
        Vcpu v;
        v.fp.sve.release = fake_release;  // no buffer
    }
    { Vcpu w; }
    EXPECT_EQ(g_released, 0);
}

}  // namespace
}  // namespace keel::arm64
