// SPDX-License-Identifier: MIT
//
// core/hypercall/version_info.cpp
// Owns the feature computation and string filling of XENVER_* (see
// version_info.hpp). Pure.
#include "core/hypercall/version_info.hpp"

#include "public/xen/features.hpp"

namespace keel {

uint32_t xen_feature_submap0(const DomainFeatures& f)
{
    using xen::XenFeat;
    using xen::feature_bit;
    uint32_t m = feature_bit(XenFeat::MemoryOpVnodeSupported) |
                 feature_bit(XenFeat::WritablePageTables) |
                 feature_bit(XenFeat::AutoTranslatedPhysmap) |
                 feature_bit(XenFeat::ArmSmcccSupported);
    if (f.hardware_domain) m |= feature_bit(XenFeat::Dom0);
    m |= f.direct_mapped ? feature_bit(XenFeat::DirectMapped)
                         : feature_bit(XenFeat::NotDirectMapped);
    return m;
}

void xen_fill_string(char* dst, uint64_t len, const char* src)
{
    if (len == 0) return;
    uint64_t i = 0;
    for (; src != nullptr && src[i] != '\0' && i + 1 < len; ++i) dst[i] = src[i];
    for (; i < len; ++i) dst[i] = '\0';
}

}  // namespace keel
