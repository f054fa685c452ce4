// SPDX-License-Identifier: MIT
//
// core/boot/cmdline.hpp
// Owns keel's command line: BootOptions (what keel understands) and the parser
// for Xen's syntax (docs/misc/xen-command-line.pandoc): space-separated words
// `name`, `name=value`, `no-name`; '-' and '_' are the same in names; booleans
// take 1/0, yes/no, true/false, on/off, enable/disable; a value may be quoted.
// Xen options keel has no use for yet are accepted silently so a Xen command
// line boots unchanged; anything else is collected for one warning line.
// Values point into the command-line text (the DTB), which stays reserved.
#pragma once
#include <cstddef>
#include <cstdint>

#include "lib/cstr.hpp"

namespace keel {

class FmtBuffer;

struct BootOptions {
    bool selftest = false;        // keel.selftest: run the on-target checks, then power off
    bool exit_when_idle = false;  // keel.exit_when_idle: power off when the last domain ended
    bool log_cpu_features = false;  // keel.log_cpu_features: the host's ID registers, once
    StrRef console;               // console=      (Xen: dtuart, none, ...)
    StrRef dtuart;                // dtuart=       (Xen: DT path or alias of the UART)
    StrRef dom0_mem;              // dom0_mem=     (kept as text: core/boot/dom0_spec reads it)
    StrRef dom0_max_vcpus;        // dom0_max_vcpus=
    bool dom0_vcpus_pin = false;  // dom0_vcpus_pin: dom0's vCPU i runs only on CPU i
    StrRef bootscrub;             // bootscrub=    (Xen: boolean or "idle")
    StrRef sched;                 // sched=        (null, credit2, rtds, ...)
    StrRef loglvl;                // loglvl=
    StrRef guest_loglvl;          // guest_loglvl=
    bool sync_console = false;    // sync_console
    StrRef console_timestamps;    // console_timestamps= (Xen: none/date/datems/boot/raw or boolean)
    uint64_t xenheap_megabytes = 0;  // xenheap_megabytes= (0: not given)
};

inline constexpr size_t kMaxUnknownOptions = 16;

// Words keel did not use: unknown names, and known names with a value keel
// could not read (both are ignored; the word is kept whole for the warning).
struct UnknownOptions {
    StrRef words[kMaxUnknownOptions];
    bool bad_value[kMaxUnknownOptions] = {};
    size_t count = 0;
    size_t dropped = 0;  // words past kMaxUnknownOptions (counted, not kept)

    bool empty() const { return count == 0 && dropped == 0; }
    void add(StrRef word, bool bad);
};

/// Parses `text` (may be nullptr) into `out`; later words win over earlier ones.
void parse_cmdline(const char* text, BootOptions& out, UnknownOptions& unknown);

/// Xen's bootscrub=: whether memory handed out at boot is zeroed first. Absent,
/// "idle" (Xen scrubs in the background) or a true boolean: yes; a false boolean
/// ("0", "no", "off", ...): no.
bool bootscrub_enabled(const BootOptions& o);

/// Appends one line (without '\n'), e.g.
/// "keel: warning: unknown command-line options ignored: foo bar=1". Nothing when empty.
void format_unknown_options(const UnknownOptions& unknown, FmtBuffer& out);

}  // namespace keel
