// SPDX-License-Identifier: MIT
//
// core/domain/lifecycle.hpp
// Owns how a domain starts running and how it ends: domain_start() after the
// builder finished it; domain_shutdown() / domain_crash() stop every vCPU (the
// ones running on other CPUs through an SGI), and when the last vCPU is Dead the
// domain is destroyed — vtimer state, stage-2 (p2m_destroy: RAM, tables, VMID),
// the objects — with the domain-pool free count logged before creation and
// after destruction, and VIRQ_DOM_EXC raised in the control domain. When the last domain is gone: "keel: all domains ended",
// and with keel.exit_when_idle the machine is powered off. Target only.
#pragma once
#include "core/domain/domain.hpp"

namespace keel {

/// d is fully built (before the next domain is created): records the
/// domain-pool frames it took, for the check when it ends.
void domain_built(Domain& d);
/// The domain builder's last step, once every domain is built and linked: gives
/// each vCPU a CPU, marks d Running and makes vCPU 0 (whose entry state the
/// builder set) Runnable. vCPUs 1.. stay Offline until PSCI CPU_ON.
void domain_start(Domain& d);

/// Ends d (idempotent: a second call while it ends does nothing). Safe from any
/// CPU, including from a trap of one of d's own vCPUs; d may be freed before
/// this returns when none of its vCPUs is running. [dom0] For a privileged
/// domain (Xen's hardware domain) the whole machine ends instead: one line,
/// the domain-pool count, then PSCI SYSTEM_OFF (poweroff) or SYSTEM_RESET.
void domain_shutdown(Domain& d, ShutdownReason reason);

/// Logs "keel: d<N> (<name>) crashed: <why>" and ends d with reason Crash.
void domain_crash(Domain& d, const char* why);

/// Frees a domain that never started (the builder's failure path): p2m_destroy
/// and the objects, no log line about its end.
void domain_destroy_unstarted(Domain& d);

/// The scheduler's report that vCPU v became Dead (its context saved, no CPU
/// runs it). The last one destroys its domain; v may be freed on return.
void domain_vcpu_dead(Vcpu& v);

const char* shutdown_reason_name(ShutdownReason r);

/// "keel: all domains ended" and, with keel.exit_when_idle, power off. Called by
/// whoever frees the last domain (core/domain/domain_ref.cpp).
void domains_all_ended();

}  // namespace keel
