// SPDX-License-Identifier: MIT
//
// lib/fdt_check.cpp
// Owns Fdt::check, the validation every blob passes before keel reads it:
// header (magic, versions, totalsize against what is available), block
// placement and alignment, the memory reservation terminator, and one walk of
// the structure block (tokens, names, property lengths and name offsets,
// nesting, a single root, END). Also the printable form of what it found.
#include "lib/cstr.hpp"
#include "lib/fdt.hpp"
#include "lib/fdt_layout.hpp"
#include "lib/fmt.hpp"

namespace keel {
using namespace fdt_layout;

namespace {

FdtError fail(FdtCheckReport* report, FdtError e, const char* what, uint64_t offset, uint64_t value,
              uint64_t limit)
{
    if (report != nullptr) *report = FdtCheckReport{e, what, offset, value, limit};
    return e;
}

}  // namespace

const char* fdt_error_name(FdtError e)
{
    switch (e) {
    case FdtError::None: return "none";
    case FdtError::BadMagic: return "bad magic";
    case FdtError::Truncated: return "truncated";
    case FdtError::BadVersion: return "bad version";
    case FdtError::BadStructure: return "bad structure";
    case FdtError::NotFound: return "not found";
    }
    return "unknown";
}

void format_fdt_check_report(const FdtCheckReport& r, FmtBuffer& out)
{
    switch (r.error) {
    case FdtError::None:
        format_to(out, "no error");
        return;
    case FdtError::BadMagic:
        format_to(out, "bad magic {:#x} (expected {:#x})", r.value, r.limit);
        return;
    case FdtError::Truncated:
        if (cstr_eq(r.what, "header"))
            format_to(out, "truncated: only {} bytes available, the header alone needs {}", r.limit,
                      r.value);
        else if (cstr_eq(r.what, "totalsize"))
            format_to(out, "truncated: header says {} bytes, only {} available", r.value, r.limit);
        else
            format_to(out, "truncated: {} [{:#x},{:#x}) runs past totalsize {:#x}", r.what,
                      r.offset, r.value, r.limit);
        return;
    case FdtError::BadVersion:
        format_to(out, "unsupported version {} (last compatible {}); keel reads versions {}..{}",
                  r.value, r.limit, kMinVersion, kMaxLastCompVersion);
        return;
    case FdtError::BadStructure:
        format_to(out, "bad structure: {} (at offset {:#x})", r.what, r.offset);
        return;
    case FdtError::NotFound:
        format_to(out, "not found");
        return;
    }
}

FdtError Fdt::check(const void* blob, size_t available) { return check(blob, available, nullptr); }

FdtError Fdt::check(const void* blob, size_t available, FdtCheckReport* report)
{
    const auto* b = static_cast<const uint8_t*>(blob);
    if (b == nullptr || available < 4)
        return fail(report, FdtError::Truncated, "header", 0, kHeaderSize, available);
    const uint32_t magic = be32(b);
    if (magic != kMagic) return fail(report, FdtError::BadMagic, "magic", 0, magic, kMagic);
    if (available < kHeaderSize)
        return fail(report, FdtError::Truncated, "header", 0, kHeaderSize, available);

    const uint32_t version = be32(b + kHdrVersion);
    const uint32_t last_comp = be32(b + kHdrLastCompVersion);
    if (version < kMinVersion || last_comp > kMaxLastCompVersion)
        return fail(report, FdtError::BadVersion, "version", kHdrVersion, version, last_comp);
    const uint32_t header_size = version >= 17 ? kHeaderSize : kHeaderSizeV16;

    const uint32_t total = be32(b + kHdrTotalsize);
    if (total < header_size)
        return fail(report, FdtError::BadStructure, "totalsize is smaller than the header",
                    kHdrTotalsize, total, header_size);
    if (total > available)
        return fail(report, FdtError::Truncated, "totalsize", kHdrTotalsize, total, available);

    // Memory reservation block: 8-byte aligned, (address, size) pairs up to (0, 0).
    const uint32_t rsv = be32(b + kHdrOffMemRsvmap);
    if (rsv % 8 != 0)
        return fail(report, FdtError::BadStructure,
                    "memory reservation block is not 8-byte aligned", rsv, rsv, 8);
    if (rsv < header_size)
        return fail(report, FdtError::BadStructure, "memory reservation block overlaps the header",
                    rsv, rsv, header_size);
    for (uint64_t pos = rsv;; pos += kRsvEntrySize) {
        if (pos + kRsvEntrySize > total)
            return fail(report, FdtError::Truncated, "memory reservation block", rsv,
                        pos + kRsvEntrySize, total);
        if (be64(b + pos) == 0 && be64(b + pos + 8) == 0) break;
    }

    const uint32_t off_struct = be32(b + kHdrOffDtStruct);
    if (off_struct % 4 != 0)
        return fail(report, FdtError::BadStructure, "structure block is not 4-byte aligned",
                    off_struct, off_struct, 4);
    if (off_struct < header_size)
        return fail(report, FdtError::BadStructure, "structure block overlaps the header",
                    off_struct, off_struct, header_size);
    if (off_struct > total)
        return fail(report, FdtError::Truncated, "structure block", off_struct, off_struct, total);
    const uint32_t size_struct =
        version >= 17 ? be32(b + kHdrSizeDtStruct) : (total - off_struct) & ~3u;
    if (size_struct % 4 != 0)
        return fail(report, FdtError::BadStructure, "structure block size is not a multiple of 4",
                    kHdrSizeDtStruct, size_struct, 4);
    if (uint64_t{off_struct} + size_struct > total)
        return fail(report, FdtError::Truncated, "structure block", off_struct,
                    uint64_t{off_struct} + size_struct, total);

    const uint32_t off_strings = be32(b + kHdrOffDtStrings);
    const uint32_t size_strings = be32(b + kHdrSizeDtStrings);
    if (off_strings < header_size)
        return fail(report, FdtError::BadStructure, "strings block overlaps the header",
                    off_strings, off_strings, header_size);
    if (uint64_t{off_strings} + size_strings > total)
        return fail(report, FdtError::Truncated, "strings block", off_strings,
                    uint64_t{off_strings} + size_strings, total);

    // One pass over the structure block. Properties must precede subnodes
    // (Devicetree spec, "Tree structure"), which the readers below rely on.
    const Fdt fdt{blob, available};
    uint32_t off = 0;
    uint32_t prev = kTokBad;  // previous token other than NOP
    int depth = 0;
    bool root_done = false;
    for (;;) {
        if (off >= fdt.struct_size_)
            return fail(report, FdtError::BadStructure, "structure block has no END token",
                        uint64_t{off_struct} + off, off, fdt.struct_size_);
        const char* fault = "bad token";
        uint32_t next = 0;
        const uint32_t tag = fdt.token(off, next, &fault);
        const uint64_t where = uint64_t{off_struct} + off;
        if (tag == kTokBad) return fail(report, FdtError::BadStructure, fault, where, 0, 0);
        if (off == 0 && tag != kTokBeginNode)
            return fail(report, FdtError::BadStructure,
                        "structure block does not start with the root node", where, tag, 0);
        switch (tag) {
        case kTokBeginNode:
            if (root_done)
                return fail(report, FdtError::BadStructure, "node after the root node", where, 0,
                            0);
            ++depth;
            break;
        case kTokEndNode:
            if (depth == 0)
                return fail(report, FdtError::BadStructure, "END_NODE outside any node", where, 0,
                            0);
            if (--depth == 0) root_done = true;
            break;
        case kTokProp:
            if (depth == 0)
                return fail(report, FdtError::BadStructure, "property outside any node", where, 0,
                            0);
            if (prev != kTokBeginNode && prev != kTokProp)
                return fail(report, FdtError::BadStructure, "property after a subnode", where, 0,
                            0);
            if (fdt.string_at_offset(be32(fdt.blob_ + fdt.struct_off_ + off + 8)) == nullptr)
                return fail(report, FdtError::BadStructure,
                            "property name outside the strings block", where, 0, 0);
            break;
        case kTokNop:
            break;
        case kTokEnd:
            if (!root_done)
                return fail(report, FdtError::BadStructure, "END token inside a node", where,
                            static_cast<uint64_t>(depth), 0);
            if (report != nullptr) *report = FdtCheckReport{};
            return FdtError::None;
        default:
            break;  // token() rejects anything else
        }
        if (tag != kTokNop) prev = tag;
        off = next;
    }
}

}  // namespace keel
