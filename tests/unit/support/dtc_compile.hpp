// SPDX-License-Identifier: MIT
//
// tests/unit/support/dtc_compile.hpp
// Owns compile_dts(): a device tree written in a test as .dts text, compiled
// by dtc at run time (-f: dtc writes the blob even when its checks complain,
// so malformed trees — odd "reg" lengths, phandles to nothing — can be made).
#pragma once
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "dtb_builder.hpp"

namespace keel::test {

inline Blob compile_dts(const std::string& dts)
{
    char dir[] = "/tmp/keel-dts-XXXXXX";
    if (mkdtemp(dir) == nullptr) return {};
    const std::string src = std::string(dir) + "/t.dts";
    const std::string dtb = std::string(dir) + "/t.dtb";
    FILE* f = std::fopen(src.c_str(), "wb");
    if (f == nullptr) return {};
    std::fwrite(dts.data(), 1, dts.size(), f);
    std::fclose(f);
    Blob out;
    if (std::system(("dtc -q -f -I dts -O dtb -o " + dtb + " " + src + " 2>/dev/null").c_str()) == 0) {
        if (FILE* in = std::fopen(dtb.c_str(), "rb")) {
            char buf[4096];
            size_t n;
            while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) out.insert(out.end(), buf, buf + n);
            std::fclose(in);
        }
    }
    std::remove(src.c_str());
    std::remove(dtb.c_str());
    rmdir(dir);
    return out;
}

}  // namespace keel::test
