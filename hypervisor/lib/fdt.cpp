// SPDX-License-Identifier: MIT
//
// lib/fdt.cpp
// Owns the flattened-device-tree reader declared in lib/fdt.hpp: token decoding
// and the tree walks (children, siblings, document order, parents, paths,
// aliases, phandles, properties, "reg", /memreserve/). Validation is
// fdt_check.cpp's job; every read here is still bounds-checked on its own.
// Layout facts: Devicetree Specification v0.4, "Flattened Devicetree (DTB) Format".
#include "lib/fdt.hpp"

#include "lib/cstr.hpp"
#include "lib/fdt_layout.hpp"

namespace keel {
using namespace fdt_layout;

namespace {

// A path component matches a node name exactly, or (without a unit address of its
// own) the node name up to its '@'.
enum class NameMatch { No, Exact, Unit };

NameMatch match_name(const char* node, const char* name, size_t len)
{
    bool has_at = false;
    for (size_t i = 0; i < len; ++i) {
        if (node[i] == '\0' || node[i] != name[i]) return NameMatch::No;
        if (name[i] == '@') has_at = true;
    }
    if (node[len] == '\0') return NameMatch::Exact;
    if (!has_at && node[len] == '@') return NameMatch::Unit;
    return NameMatch::No;
}

}  // namespace

Fdt::Fdt(const void* blob, size_t available)
    : blob_{static_cast<const uint8_t*>(blob)}, size_{0}, available_{available}
{
    if (blob_ == nullptr || available < kHeaderSize || be32(blob_) != kMagic) return;
    total_ = be32(blob_ + kHdrTotalsize);
    size_ = total_ < available ? total_ : available;
    const uint32_t version = be32(blob_ + kHdrVersion);
    const auto size32 = static_cast<uint32_t>(size_);  // size_ <= total_, a uint32_t

    // Each block is clamped to the readable bytes, so lookups stay in bounds
    // even over a blob that check() never saw.
    auto clamp = [size32](uint32_t& off, uint32_t& len) {
        if (off > size32) {
            off = 0;
            len = 0;
        } else if (len > size32 - off) {
            len = size32 - off;
        }
    };
    struct_off_ = be32(blob_ + kHdrOffDtStruct);
    struct_size_ = version >= 17 ? be32(blob_ + kHdrSizeDtStruct)
                                 : (struct_off_ <= size32 ? size32 - struct_off_ : 0);
    clamp(struct_off_, struct_size_);
    struct_size_ &= ~3u;  // token() relies on a whole number of cells
    strings_off_ = be32(blob_ + kHdrOffDtStrings);
    strings_size_ = be32(blob_ + kHdrSizeDtStrings);
    clamp(strings_off_, strings_size_);
    rsv_off_ = be32(blob_ + kHdrOffMemRsvmap);
    if (rsv_off_ > size32) rsv_off_ = size32;
}

uint32_t Fdt::total_size() const { return total_; }

uint32_t Fdt::token(uint32_t off, uint32_t& next, const char** fault) const
{
    auto bad = [fault](const char* why) {
        if (fault != nullptr) *fault = why;
        return kTokBad;
    };
    if (off % 4 != 0 || uint64_t{off} + 4 > struct_size_)
        return bad("token past the end of the structure block");
    const uint8_t* base = blob_ + struct_off_;
    const uint32_t tag = be32(base + off);
    switch (tag) {
    case kTokBeginNode: {
        uint32_t p = off + 4;
        while (p < struct_size_ && base[p] != 0) ++p;
        if (p >= struct_size_) return bad("node name runs past the structure block");
        next = align4(p + 1);  // <= struct_size_: a multiple of 4 above p
        return tag;
    }
    case kTokProp: {
        if (uint64_t{off} + 12 > struct_size_)
            return bad("property header past the structure block");
        const uint64_t end = uint64_t{off} + 12 + be32(base + off + 4);
        if (end > struct_size_) return bad("property value runs past the structure block");
        next = align4(static_cast<uint32_t>(end));
        return tag;
    }
    case kTokEndNode:
    case kTokNop:
    case kTokEnd:
        next = off + 4;
        return tag;
    default:
        return bad("unknown token");
    }
}

bool Fdt::is_node(int node) const
{
    uint32_t next = 0;
    return node >= 0 && token(static_cast<uint32_t>(node), next, nullptr) == kTokBeginNode;
}

uint32_t Fdt::first_token_after_name(int node) const
{
    uint32_t next = 0;
    token(static_cast<uint32_t>(node), next, nullptr);
    return next;
}

const char* Fdt::string_at_offset(uint32_t nameoff) const
{
    if (nameoff >= strings_size_) return nullptr;
    const uint8_t* s = blob_ + strings_off_;
    for (uint32_t p = nameoff; p < strings_size_; ++p)
        if (s[p] == 0) return reinterpret_cast<const char*>(s + nameoff);
    return nullptr;
}

bool Fdt::fill_property(uint32_t off, FdtProperty& out) const
{
    const uint8_t* base = blob_ + struct_off_;
    const char* name = string_at_offset(be32(base + off + 8));
    if (name == nullptr) return false;
    out.name = name;
    out.len = be32(base + off + 4);
    out.data = base + off + 12;
    return true;
}

int Fdt::first_child(int node) const
{
    if (!is_node(node)) return -1;
    uint32_t off = first_token_after_name(node);
    for (;;) {
        uint32_t next = 0;
        switch (token(off, next, nullptr)) {
        case kTokProp:
        case kTokNop:
            off = next;
            break;
        case kTokBeginNode:
            return static_cast<int>(off);
        default:
            return -1;
        }
    }
}

int Fdt::next_sibling(int node) const
{
    if (!is_node(node)) return -1;
    uint32_t off = static_cast<uint32_t>(node);
    int depth = 0;
    for (;;) {
        uint32_t next = 0;
        switch (token(off, next, nullptr)) {
        case kTokBeginNode:
            ++depth;
            break;
        case kTokEndNode:
            if (--depth == 0) {
                // Past the node's END_NODE: NOPs, then a sibling or the parent's end.
                for (off = next;; off = next) {
                    const uint32_t tag = token(off, next, nullptr);
                    if (tag == kTokBeginNode) return static_cast<int>(off);
                    if (tag != kTokNop) return -1;
                }
            }
            break;
        case kTokProp:
        case kTokNop:
            break;
        default:
            return -1;
        }
        off = next;
    }
}

int Fdt::next_node(int node, int* depth) const
{
    if (!is_node(node)) return -1;
    int d = depth != nullptr ? *depth : 0;
    uint32_t off = first_token_after_name(node);
    for (;;) {
        uint32_t next = 0;
        switch (token(off, next, nullptr)) {
        case kTokBeginNode:
            if (depth != nullptr) *depth = d + 1;
            return static_cast<int>(off);
        case kTokEndNode:
            --d;
            break;
        case kTokProp:
        case kTokNop:
            break;
        default:
            return -1;
        }
        off = next;
    }
}

const char* Fdt::node_name(int node) const
{
    if (!is_node(node)) return "";
    return reinterpret_cast<const char*>(blob_ + struct_off_ + static_cast<uint32_t>(node) + 4);
}

int Fdt::parent(int node) const
{
    // The nodes in document order with their depths, as next_node() walks them
    // from the root, but one token decode per token (the walk costs O(offset of
    // node), not three decodes of every node name). last_at[d] is the last node
    // seen at depth d; trees deeper than it tracks take a second walk for the
    // node at depth - 1 (never in practice).
    constexpr int kTracked = 32;
    int last_at[kTracked];
    int target = -1;  // depth of `node` once found
    for (int pass = 0; pass < 2; ++pass) {
        int candidate = -1;
        int depth = -1;  // of the last BEGIN_NODE seen
        uint32_t off = static_cast<uint32_t>(root());
        for (bool first = true;; first = false) {
            uint32_t next = 0;
            const uint32_t tag = token(off, next, nullptr);
            if (tag == kTokBeginNode) {
                const int n = static_cast<int>(off);
                ++depth;
                if (pass == 0) {
                    if (n == node) {
                        if (depth <= 0) return -1;
                        if (depth - 1 < kTracked) return last_at[depth - 1];
                        target = depth;
                        break;
                    }
                    if (depth >= 0 && depth < kTracked) last_at[depth] = n;
                } else {
                    if (n == node) return candidate;
                    if (depth == target - 1) candidate = n;
                }
                off = next;
                continue;
            }
            if (first) return -1;  // no root node: no tree to walk
            if (tag == kTokEndNode) {
                --depth;
            } else if (tag != kTokProp && tag != kTokNop) {
                return -1;  // the end of the walk: `node` is no node of the tree
            }
            off = next;
        }
    }
    return -1;
}

int Fdt::subnode(int node, const char* name, size_t len) const
{
    int unit_match = -1;
    for (int c = first_child(node); c >= 0; c = next_sibling(c)) {
        const NameMatch m = match_name(node_name(c), name, len);
        if (m == NameMatch::Exact) return c;
        if (m == NameMatch::Unit && unit_match < 0) unit_match = c;
    }
    return unit_match;
}

int Fdt::path_offset(const char* path) const { return path_offset(path, cstr_len(path)); }

int Fdt::path_offset(const char* path, size_t len) const
{
    if (len == 0) return -1;
    size_t i = 0;
    int node = root();
    if (path[0] != '/') {
        // An alias: its /aliases property holds an absolute path (Devicetree spec, "/aliases").
        while (i < len && path[i] != '/') ++i;
        const int aliases = subnode(root(), "aliases", 7);
        if (aliases < 0) return -1;
        const StrRef alias{path, i};
        FdtProperty prop;
        node = -1;
        for (int p = next_property(aliases, -1, prop); p >= 0;
             p = next_property(aliases, p, prop)) {
            if (!alias.equals(prop.name)) continue;
            const char* target = prop.as_string();
            if (target == nullptr || target[0] != '/') return -1;  // no alias chains
            node = path_offset(target, cstr_len(target));
            break;
        }
        if (node < 0) return -1;
    }
    while (i < len) {
        while (i < len && path[i] == '/') ++i;
        const size_t start = i;
        while (i < len && path[i] != '/') ++i;
        if (i > start) {
            node = subnode(node, path + start, i - start);
            if (node < 0) return -1;
        }
    }
    return node;
}

int Fdt::node_by_phandle(uint32_t phandle) const
{
    if (phandle == 0 || phandle == 0xffffffff) return -1;  // both mean "no phandle"
    for (int n = root(); n >= 0; n = next_node(n, nullptr)) {
        FdtProperty p;
        if ((property(n, "phandle", p) || property(n, "linux,phandle", p)) && p.len == 4 &&
            p.u32_at(0) == phandle)
            return n;
    }
    return -1;
}

int Fdt::first_compatible(const char* compat, int after) const
{
    int n = after < 0 ? root() : next_node(after, nullptr);
    for (; n >= 0; n = next_node(n, nullptr))
        if (is_compatible(n, compat)) return n;
    return -1;
}

int Fdt::next_property(int node, int prev, FdtProperty& out) const
{
    if (!is_node(node)) return -1;
    uint32_t off = first_token_after_name(node);
    uint32_t next = 0;
    if (prev >= 0) {
        if (token(static_cast<uint32_t>(prev), next, nullptr) != kTokProp) return -1;
        off = next;
    }
    for (;;) {
        const uint32_t tag = token(off, next, nullptr);
        if (tag == kTokProp && fill_property(off, out)) return static_cast<int>(off);
        if (tag != kTokProp && tag != kTokNop) return -1;
        off = next;
    }
}

bool Fdt::property(int node, const char* name, FdtProperty& out) const
{
    FdtProperty p;
    for (int off = next_property(node, -1, p); off >= 0; off = next_property(node, off, p)) {
        if (cstr_eq(p.name, name)) {
            out = p;
            return true;
        }
    }
    return false;
}

bool Fdt::has_property(int node, const char* name) const
{
    FdtProperty p;
    return property(node, name, p);
}

bool Fdt::is_compatible(int node, const char* compat) const
{
    FdtProperty p;
    return property(node, "compatible", p) && p.contains_string(compat);
}

uint32_t Fdt::cells_property(int node, const char* name, uint32_t fallback) const
{
    FdtProperty p;
    if (node < 0 || !property(node, name, p) || p.len < 4) return fallback;
    return p.u32_at(0);
}

// Devicetree spec, "#address-cells and #size-cells": defaults 2 and 1.
uint32_t Fdt::address_cells_for(int node) const
{
    return cells_property(parent(node), "#address-cells", 2);
}

uint32_t Fdt::size_cells_for(int node) const
{
    return cells_property(parent(node), "#size-cells", 1);
}

size_t Fdt::reg_count(int node) const
{
    const int p = parent(node);
    const uint32_t ac = cells_property(p, "#address-cells", 2);
    const uint32_t sc = cells_property(p, "#size-cells", 1);
    FdtProperty prop;
    if (ac < 1 || ac > 2 || sc > 2 || !property(node, "reg", prop)) return 0;
    return prop.len / ((ac + sc) * 4);
}

bool Fdt::reg(int node, size_t index, uint64_t& base, uint64_t& size) const
{
    const int p = parent(node);
    const uint32_t ac = cells_property(p, "#address-cells", 2);
    const uint32_t sc = cells_property(p, "#size-cells", 1);
    FdtProperty prop;
    if (ac < 1 || ac > 2 || sc > 2 || !property(node, "reg", prop)) return false;
    const uint32_t stride = ac + sc;  // cells per entry
    if (index >= prop.len / (stride * 4)) return false;
    base = prop.cells_at(index * stride, ac);
    size = sc == 0 ? 0 : prop.cells_at(index * stride + ac, sc);
    return true;
}

size_t Fdt::memreserve_count() const
{
    size_t n = 0;
    for (uint64_t pos = rsv_off_; pos + kRsvEntrySize <= size_; pos += kRsvEntrySize, ++n)
        if (be64(blob_ + pos) == 0 && be64(blob_ + pos + 8) == 0) break;  // the terminating entry
    return n;
}

bool Fdt::memreserve(size_t index, uint64_t& base, uint64_t& size) const
{
    for (size_t i = 0;; ++i) {
        const uint64_t pos = uint64_t{rsv_off_} + i * kRsvEntrySize;
        if (pos + kRsvEntrySize > size_) return false;
        const uint64_t b = be64(blob_ + pos);
        const uint64_t s = be64(blob_ + pos + 8);
        if (b == 0 && s == 0) return false;  // the terminating entry
        if (i == index) {
            base = b;
            size = s;
            return true;
        }
    }
}

uint32_t FdtProperty::u32_at(size_t index) const
{
    if (data == nullptr || index >= len / 4) return 0;
    return be32(data + index * 4);
}

uint64_t FdtProperty::cells_at(size_t cell_index, uint32_t ncells) const
{
    if (data == nullptr || ncells < 1 || ncells > 2 || cell_index >= len / 4 ||
        len / 4 - cell_index < ncells)
        return 0;
    return ncells == 1 ? u32_at(cell_index)
                       : (uint64_t{u32_at(cell_index)} << 32) | u32_at(cell_index + 1);
}

const char* FdtProperty::string_at(size_t index) const
{
    if (data == nullptr) return nullptr;
    uint32_t pos = 0;
    for (size_t i = 0; pos < len; ++i) {
        uint32_t end = pos;
        while (end < len && data[end] != 0) ++end;
        if (end >= len) return nullptr;  // unterminated entry
        if (i == index) return reinterpret_cast<const char*>(data + pos);
        pos = end + 1;
    }
    return nullptr;
}

bool FdtProperty::contains_string(const char* s) const
{
    if (data == nullptr) return false;
    for (uint32_t pos = 0; pos < len;) {
        uint32_t end = pos;
        while (end < len && data[end] != 0) ++end;
        if (end >= len) return false;  // unterminated entry
        if (cstr_eq(reinterpret_cast<const char*>(data + pos), s)) return true;
        pos = end + 1;
    }
    return false;
}

const char* FdtProperty::as_string() const
{
    if (data == nullptr || len == 0 || data[len - 1] != 0) return nullptr;
    return reinterpret_cast<const char*>(data);
}

}  // namespace keel
