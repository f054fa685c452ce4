// SPDX-License-Identifier: MIT
//
// core/boot/dom0_dt.cpp
// Owns build_dom0_dt() (stub: being written).
#include "core/boot/dom0_dt.hpp"

namespace keel {

size_t dom0_dt_capacity(const Fdt& host, const Dom0DtParams&) { return host.total_size() + kDom0DtSlack; }

Result<size_t> build_dom0_dt(const Fdt&, const Dom0DtParams&, void*, size_t, DtDiagnostic*)
{
    return Errno::NoSys;
}

}  // namespace keel
