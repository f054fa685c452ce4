// SPDX-License-Identifier: MIT
//
// tests/unit/support/run_dtc.hpp
// Owns run_dtc(): the host tests' proof that a blob keel wrote is a device tree
// dtc accepts. Writes the blob to a temporary directory, runs
// `dtc -I dtb -O dts` on it, returns dtc's exit status and (in *dts) its output.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace keel::test {

inline int run_dtc(const uint8_t* blob, size_t size, std::string* dts = nullptr)
{
    char dir[] = "/tmp/keel-dtc-XXXXXX";
    if (mkdtemp(dir) == nullptr) return -1;
    const std::string dtb = std::string(dir) + "/t.dtb";
    const std::string out = std::string(dir) + "/t.dts";
    FILE* f = std::fopen(dtb.c_str(), "wb");
    if (f == nullptr) return -1;
    std::fwrite(blob, 1, size, f);
    std::fclose(f);
    const int rc = std::system(("dtc -q -I dtb -O dts -o " + out + " " + dtb).c_str());
    if (dts != nullptr) {
        dts->clear();
        if (FILE* in = std::fopen(out.c_str(), "rb")) {
            char buf[4096];
            size_t n;
            while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) dts->append(buf, n);
            std::fclose(in);
        }
    }
    std::remove(dtb.c_str());
    std::remove(out.c_str());
    rmdir(dir);
    return rc;
}

}  // namespace keel::test
