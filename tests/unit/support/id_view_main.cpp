// SPDX-License-Identifier: MIT
//
// tests/unit/support/id_view_main.cpp
// keel_id_view: the ID register values keel's table (arch/arm64/vcpu/id_view)
// gives a guest, from the host's. Reads keel's "host id <CRm>: <8 values>" lines
// (keel.log_cpu_features) on stdin, prints "<CRm>.<op2> <value>" per register as
// guests/cpu-id prints them. Options: --sve (the domain has `sve`), --ipa-bits N.
// Used by tests/scenarios/cpu-id-*.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "arch/arm64/vcpu/id_view.hpp"

using namespace keel::arm64;

int main(int argc, char** argv)
{
    GuestCpuConfig cfg{.sve = false, .ipa_bits = 39};
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--sve") == 0) cfg.sve = true;
        else if (std::strcmp(argv[i], "--ipa-bits") == 0 && i + 1 < argc)
            cfg.ipa_bits = static_cast<unsigned>(std::atoi(argv[++i]));
        else {
            std::fprintf(stderr, "usage: keel_id_view [--sve] [--ipa-bits N] < keel-log\n");
            return 2;
        }
    }
    uint64_t host[kIdRegEnd] = {};
    bool seen[8] = {};
    char line[512];
    while (std::fgets(line, sizeof line, stdin) != nullptr) {
        const char* at = std::strstr(line, "host id ");
        if (at == nullptr) continue;
        char* p = nullptr;
        const unsigned long crm = std::strtoul(at + 8, &p, 10);
        if (crm < 1 || crm > 7 || *p != ':') continue;
        ++p;
        for (unsigned op2 = 0; op2 < 8; ++op2) host[id_reg_index(crm, op2)] = std::strtoull(p, &p, 16);
        seen[crm] = true;
    }
    for (unsigned crm = 1; crm < 8; ++crm) {
        if (!seen[crm]) {
            std::fprintf(stderr, "keel_id_view: no 'host id %u:' line\n", crm);
            return 1;
        }
    }
    const HostCpuFacts facts{.aa64pfr0 = host[idreg::ID_AA64PFR0]};
    for (unsigned i = kIdRegFirst; i < kIdRegEnd; ++i)
        std::printf("%u.%u %llx\n", i / 8, i % 8,
                    static_cast<unsigned long long>(guest_id_reg(i, host[i], facts, cfg)));
    return 0;
}
