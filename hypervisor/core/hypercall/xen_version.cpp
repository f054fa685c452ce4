// SPDX-License-Identifier: MIT
//
// core/hypercall/xen_version.cpp
// Owns HYPERVISOR_xen_version(cmd, arg) as Xen 4.17 answers it
// (common/kernel.c do_xen_version with the dummy XSM policy: version,
// platform_parameters and get_features for everyone; the strings, pagesize
// and guest_handle (the domain's, XEN_DOMCTL_setdomainhandle) too; for a domU
// commandline reads "<denied>" and build_id is -EPERM; the control domain
// gets keel's command line (with a dom0_mem= token, version_info.hpp) and
// build_id's -ENODATA (keel has no build id; a zero len -EINVAL); unknown
// sub-ops -ENOSYS). The values are version_info.hpp's. Target only.
#include "core/boot/boot_state.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/hypercall/ctl_facts.hpp"
#include "core/hypercall/handlers.hpp"
#include "core/hypercall/version_info.hpp"
#include "core/memory/guest_virt.hpp"
#include "public/xen/version.hpp"

namespace keel {
namespace {

long put(Vcpu& v, uint64_t dst, const void* src, size_t len)
{
    return copy_to_guest(v, GuestVirtAddr{dst}, src, len).ok() ? 0 : hc_error(Errno::Fault);
}

long put_string(Vcpu& v, uint64_t dst, const char* s, char* buf, size_t len)
{
    xen_fill_string(buf, len, s);
    return put(v, dst, buf, len);
}

// Every sub-op; out of line so that the buffers (and the stack protector they
// bring) are paid only by the sub-ops that copy, not by XENVER_version.
[[gnu::noinline]] long xen_version_op(Vcpu& v, xen::XenVer cmd, uint64_t arg)
{
    using xen::XenVer;
    switch (cmd) {
    case XenVer::Version: return kXenVersionValue;
    case XenVer::Extraversion: {
        char buf[xen::kXenExtraversionLen];
        return put_string(v, arg, kXenExtraversion, buf, sizeof buf);
    }
    case XenVer::CompileInfo: {
        xen::XenCompileInfo info{};
        xen_fill_string(info.compiler, sizeof info.compiler, kXenCompiler);
        xen_fill_string(info.compile_by, sizeof info.compile_by, kXenCompileBy);
        xen_fill_string(info.compile_domain, sizeof info.compile_domain, kXenCompileDomain);
        xen_fill_string(info.compile_date, sizeof info.compile_date, kXenCompileDate);
        return put(v, arg, &info, sizeof info);
    }
    case XenVer::Capabilities: {
        char buf[xen::kXenCapabilitiesLen];
        return put_string(v, arg, kXenCapabilities, buf, sizeof buf);
    }
    case XenVer::Changeset: {
        char buf[xen::kXenChangesetLen];
        return put_string(v, arg, kXenChangeset, buf, sizeof buf);
    }
    case XenVer::PlatformParameters: {
        const xen::XenPlatformParameters p{kXenVirtStart};
        return put(v, arg, &p, sizeof p);
    }
    case XenVer::GetFeatures: {
        xen::XenFeatureInfo fi{};
        if (!copy_from_guest(v, fi, GuestVirtAddr{arg}).ok()) return hc_error(Errno::Fault);
        if (fi.submap_idx != 0) return hc_error(Errno::Inval);
        fi.submap = xen_feature_submap0(DomainFeatures{.hardware_domain = v.domain->privileged,
                                                        .direct_mapped = v.domain->direct_map});
        return put(v, arg, &fi, sizeof fi);
    }
    case XenVer::Pagesize: return arg != 0 ? hc_error(Errno::Inval) : static_cast<long>(kPageSize);
    case XenVer::GuestHandle: {
        // dom0less domains are created without a handle: 16 zero bytes until set.
        uint8_t handle[xen::kXenDomainHandleLen] = {};
        domain_handle_get(*v.domain, handle);
        return put(v, arg, handle, sizeof handle);
    }
    case XenVer::Commandline: {
        if (v.domain->privileged) {
            char buf[xen::kXenCommandlineLen];
            xen_commandline(buf, sizeof buf, boot_info().cmdline,
                            v.domain->p2m.max_frames << kPageShift);
            return put(v, arg, buf, sizeof buf);
        }
        // Denied to a domU: Xen copies "<denied>" and its NUL, and succeeds.
        char buf[9];
        return put_string(v, arg, kXenDenied, buf, sizeof buf);
    }
    case XenVer::BuildId: {
        if (!v.domain->privileged) return hc_error(Errno::Perm);
        if (arg != 0) {
            uint32_t len = 0;  // xen_build_id_t.len; a NULL buffer asks for the size
            if (!copy_from_guest(v, len, GuestVirtAddr{arg}).ok()) return hc_error(Errno::Fault);
            if (len == 0) return hc_error(Errno::Inval);
        }
        return hc_error(Errno::NoData);
    }
    }
    return hc_error(Errno::NoSys);
}

}  // namespace

long do_xen_version(Vcpu& v, HypercallArgs& a)
{
    const auto cmd = static_cast<xen::XenVer>(static_cast<int32_t>(a.arg[0]));
    // XENVER_version is the benchmarks' null hypercall: answered without a frame.
    if (cmd == xen::XenVer::Version) return kXenVersionValue;
    return xen_version_op(v, cmd, a.arg[1]);
}

}  // namespace keel
