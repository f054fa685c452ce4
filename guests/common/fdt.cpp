// SPDX-License-Identifier: MIT
//
// guests/common/fdt.cpp
// Owns the guest's minimal DTB walk (see fdt.hpp): the root's #address-cells
// and #size-cells, memory@*/reg, chosen/bootargs, cpus/cpu@* children.
#include "fdt.hpp"

namespace guest {
namespace {

constexpr uint32_t kMagic = 0xd00dfeed;
constexpr uint32_t kBeginNode = 1, kEndNode = 2, kProp = 3, kNop = 4, kEnd = 9;

uint32_t be32(const uint8_t* p)
{
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

uint64_t cells(const uint8_t* p, uint32_t n)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < n; ++i) v = (v << 32) | be32(p + 4 * i);
    return v;
}

bool starts_with(const char* s, const char* prefix)
{
    for (; *prefix != '\0'; ++s, ++prefix)
        if (*s != *prefix) return false;
    return true;
}

bool equals(const char* a, const char* b)
{
    for (; *a != '\0' && *a == *b; ++a, ++b) {
    }
    return *a == *b;
}

uint32_t str_len(const char* s)
{
    uint32_t n = 0;
    while (s[n] != '\0') ++n;
    return n;
}

}  // namespace

GuestDt read_dt(uint64_t addr)
{
    GuestDt dt;
    const auto* base = reinterpret_cast<const uint8_t*>(addr);
    if (addr == 0 || be32(base) != kMagic) return dt;
    dt.total_size = be32(base + 4);
    const uint8_t* structs = base + be32(base + 8);
    const auto* strings = reinterpret_cast<const char*>(base + be32(base + 12));
    const uint32_t struct_size = be32(base + 36);

    uint32_t addr_cells = 2;
    uint32_t size_cells = 2;
    int depth = 0;                           // 1 inside the root node, 2 in its children, ...
    const char* node[4] = {"", "", "", ""};  // names along the path (depth <= 3)
    for (uint32_t off = 0; off + 4 <= struct_size;) {
        const uint32_t token = be32(structs + off);
        off += 4;
        if (token == kBeginNode) {
            const auto* name = reinterpret_cast<const char*>(structs + off);
            ++depth;
            if (depth < 4) node[depth] = name;
            if (depth == 3 && equals(node[2], "cpus") && starts_with(name, "cpu@")) ++dt.cpus;
            if (depth == 2 && equals(name, "sbsa-uart@22000000")) dt.has_vpl011 = true;
            off += (str_len(name) + 4) & ~3u;
        } else if (token == kEndNode) {
            --depth;
        } else if (token == kProp) {
            const uint32_t len = be32(structs + off);
            const char* pname = strings + be32(structs + off + 4);
            const uint8_t* value = structs + off + 8;
            off += 8 + ((len + 3) & ~3u);
            if (depth == 1 && equals(pname, "#address-cells")) addr_cells = be32(value);
            if (depth == 1 && equals(pname, "#size-cells")) size_cells = be32(value);
            if (depth == 2 && starts_with(node[2], "memory") && equals(pname, "reg")) {
                const uint32_t entry = 4 * (addr_cells + size_cells);
                for (uint32_t at = 0; entry != 0 && at + entry <= len; at += entry) {
                    const uint64_t b = cells(value + at, addr_cells);
                    const uint64_t s = cells(value + at + 4 * addr_cells, size_cells);
                    if (dt.ram_size == 0) {
                        dt.ram_base = b;
                        dt.ram_size = s;
                    }
                    dt.ram_total += s;
                }
            }
            if (depth == 2 && equals(node[2], "chosen") && equals(pname, "bootargs"))
                dt.bootargs = reinterpret_cast<const char*>(value);
        } else if (token == kNop) {
        } else if (token == kEnd) {
            break;
        } else {
            return dt;  // malformed: valid stays false
        }
    }
    dt.valid = true;
    return dt;
}

uint64_t bootarg_u64(const char* args, const char* key, uint64_t dflt)
{
    const uint32_t klen = str_len(key);
    for (const char* p = args; *p != '\0'; ++p) {
        if ((p != args && p[-1] != ' ') || !starts_with(p, key) || p[klen] != '=') continue;
        const char* v = p + klen + 1;
        uint64_t n = 0;
        unsigned radix = 10;
        if (v[0] == '0' && v[1] == 'x') {
            radix = 16;
            v += 2;
        }
        for (;; ++v) {
            unsigned d;
            if (*v >= '0' && *v <= '9')
                d = static_cast<unsigned>(*v - '0');
            else if (radix == 16 && *v >= 'a' && *v <= 'f')
                d = static_cast<unsigned>(*v - 'a' + 10);
            else
                break;
            n = n * radix + d;
        }
        return n;
    }
    return dflt;
}

}  // namespace guest
