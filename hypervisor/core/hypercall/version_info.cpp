// SPDX-License-Identifier: MIT
//
// core/hypercall/version_info.cpp
// Owns the feature computation and string filling of XENVER_* (see
// version_info.hpp). Pure.
#include "core/hypercall/version_info.hpp"

#include "lib/fmt.hpp"
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

namespace {

bool has_dom0_mem(const char* s)
{
    constexpr char kToken[] = "dom0_mem=";
    for (uint64_t i = 0; s != nullptr && s[i] != '\0'; ++i) {
        if (i != 0 && s[i - 1] != ' ') continue;
        uint64_t k = 0;
        while (kToken[k] != '\0' && s[i + k] == kToken[k]) ++k;
        if (kToken[k] == '\0') return true;
    }
    return false;
}

}  // namespace

void xen_commandline(char* dst, uint64_t len, const char* keel_cmdline, uint64_t dom0_bytes)
{
    if (len == 0) return;
    xen_fill_string(dst, len, keel_cmdline);
    if (has_dom0_mem(keel_cmdline)) return;
    uint64_t used = 0;
    while (used + 1 < len && dst[used] != '\0') ++used;
    constexpr uint64_t kMiB = uint64_t{1} << 20;
    char extra[48];
    FmtBuffer buf{extra, sizeof extra};
    if (dom0_bytes % kMiB == 0) {
        format_to(buf, "{}dom0_mem={}M", used != 0 ? " " : "", dom0_bytes / kMiB);
    } else {
        format_to(buf, "{}dom0_mem={}K", used != 0 ? " " : "", dom0_bytes >> 10);
    }
    xen_fill_string(dst + used, len - used, buf.c_str());
}

}  // namespace keel
