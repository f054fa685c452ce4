// SPDX-License-Identifier: MIT
//
// tests/unit/core/hypercall/hvm_params_test.cpp
// HVM parameter access rules of ARM Xen 4.17 (xen/arch/arm/hvm.c, ABI §3.9).
#include <gtest/gtest.h>

#include "core/hypercall/hvm_params.hpp"

namespace keel {
namespace {

TEST(HvmParams, GuestReadsItsParams)
{
    HvmParams p;
    hvm_param_init(p, xen::HvmParam::StoreEvtchn, 1);
    for (uint32_t i : {0u, 1u, 2u, 17u, 18u}) {
        const Result<uint64_t> r = hvm_param_get(p, i, true);
        ASSERT_TRUE(r.ok()) << i;
        EXPECT_EQ(r.value(), i == 2 ? 1u : 0u);
    }
}

TEST(HvmParams, ToolstackOnlyAndUnknown)
{
    HvmParams p;
    EXPECT_EQ(hvm_param_get(p, 28, true).error(), Errno::Perm);
    EXPECT_TRUE(hvm_param_get(p, 28, false).ok());
    for (uint32_t i : {3u, 16u, 19u, 38u, 39u, 1000u, 0xffffffffu}) {
        EXPECT_EQ(hvm_param_get(p, i, true).error(), Errno::Inval) << i;
        EXPECT_EQ(hvm_param_set(p, i, 5, true).error(), Errno::Inval) << i;
    }
}

TEST(HvmParams, GuestMaySetNothing)
{
    HvmParams p;
    for (uint32_t i : {0u, 1u, 2u, 17u, 18u, 28u}) {
        EXPECT_EQ(hvm_param_set(p, i, 5, true).error(), Errno::Perm) << i;
        EXPECT_EQ(hvm_param_get(p, i, false).value(), 0u);
    }
    EXPECT_TRUE(hvm_param_set(p, 1, 0x39001, false).ok());
    EXPECT_EQ(hvm_param_get(p, 1, true).value(), 0x39001u);
}

TEST(HvmParams, CallbackIrqEncoding)
{
    EXPECT_EQ(hvm_callback_irq_ppi(31), 0x020000000000021Full);
}

}  // namespace
}  // namespace keel
