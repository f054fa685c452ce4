// SPDX-License-Identifier: MIT
//
// lib/fdt.hpp
// Owns keel's flattened-device-tree reader (Devicetree Specification v0.4,
// "Flattened Devicetree (DTB) Format"). Read-only, allocation-free, and defensive:
// every offset and length in the blob is bounds-checked against the size the
// header claims AND the size the caller knows is mapped, so a malformed blob
// yields an error, never an out-of-bounds read. Shared by keel and the host tests.
// All multi-byte values are read a byte at a time (big endian, any alignment):
// keel parses the tree with the MMU off, where an unaligned load faults.
#pragma once
#include <cstddef>
#include <cstdint>

namespace keel {

class FmtBuffer;

enum class FdtError : uint8_t {
    None,
    BadMagic,
    Truncated,       // totalsize larger than what is available, or a block past the end
    BadVersion,
    BadStructure,    // malformed token stream / misaligned offsets / unterminated string
    NotFound,
};
const char* fdt_error_name(FdtError e);

// What Fdt::check found wrong, precise enough for one diagnostic line.
// Meaning of the numbers per error:
//   BadMagic:     value = magic found, limit = 0xd00dfeed
//   Truncated:    what = "header" or "totalsize": value = bytes needed/claimed, limit = available;
//                 what = a block name: offset = block start, value = block end, limit = totalsize
//   BadVersion:   value = version, limit = last_comp_version
//   BadStructure: what = the fault, offset = where in the blob (bytes from its start)
struct FdtCheckReport {
    FdtError error = FdtError::None;
    const char* what = "";
    uint64_t offset = 0;
    uint64_t value = 0;
    uint64_t limit = 0;
};
// Appends the report as text without a "device tree:" prefix, e.g.
// "bad magic 0x12345678 (expected 0xd00dfeed)".
void format_fdt_check_report(const FdtCheckReport& report, FmtBuffer& out);

struct FdtProperty {
    const char* name = nullptr;
    const uint8_t* data = nullptr;
    uint32_t len = 0;

    uint32_t u32_at(size_t index) const;  // big-endian cell; 0 when out of range
    uint64_t cells_at(size_t cell_index, uint32_t ncells) const;  // 1 or 2 cells
    // Entry i of a string list, or nullptr.
    const char* string_at(size_t index) const;
    bool contains_string(const char* s) const;
    const char* as_string() const;  // nullptr unless NUL-terminated
};

class Fdt {
public:
    static constexpr uint32_t kMagic = 0xd00dfeed;
    static constexpr uint32_t kHeaderSize = 40;  // version 17 header

    // Validates the header and every block boundary, and walks the structure
    // block once (tokens, names, property lengths, nesting). `available` is how
    // many bytes starting at `blob` may be read. Reads nothing past `available`.
    static FdtError check(const void* blob, size_t available);
    static FdtError check(const void* blob, size_t available, FdtCheckReport* report);

    // Constructs over an already checked blob. Every accessor still bounds-checks,
    // so an unchecked blob gives wrong answers but never an out-of-bounds read.
    Fdt(const void* blob, size_t available);
    uint32_t total_size() const;
    const void* data() const { return blob_; }
    size_t available() const { return available_; }

    int root() const { return 0; }  // check() requires the root node first
    // Node offsets: >= 0 valid; < 0 = none. first_child/next_sibling walk the tree;
    // next_node walks in document order: *depth (if given) is the depth of `node`
    // on entry and of the returned node on return, so a walk over the subtree of
    // n starts with depth 0 at n and stops once depth <= 0.
    int first_child(int node) const;
    int next_sibling(int node) const;
    int next_node(int node, int* depth) const;
    const char* node_name(int node) const;  // "cpu@0"; "" for root
    int parent(int node) const;
    // "/chosen", "/cpus/cpu@0", "/pl011" (unit address optional when unique
    // enough: the first match wins); a path not starting with '/' begins with an
    // alias from /aliases ("serial0", "serial0/child").
    int path_offset(const char* path) const;
    int path_offset(const char* path, size_t len) const;  // path need not be NUL-terminated
    // Child of `node` named `name` (exact, or name without "@unit" matching).
    int subnode(int node, const char* name, size_t len) const;
    int node_by_phandle(uint32_t phandle) const;
    int first_compatible(const char* compat, int after = -1) const;

    bool property(int node, const char* name, FdtProperty& out) const;
    bool has_property(int node, const char* name) const;
    bool is_compatible(int node, const char* compat) const;
    // #address-cells / #size-cells that apply to node's "reg" (from its parent; defaults 2/1).
    uint32_t address_cells_for(int node) const;
    uint32_t size_cells_for(int node) const;
    // Entry i of node's "reg" with the parent's cell sizes. false when absent/short
    // or when the cell sizes are outside what keel reads (address 1-2, size 0-2).
    bool reg(int node, size_t index, uint64_t& base, uint64_t& size) const;
    // Number of whole entries in node's "reg" (0 when absent or cell sizes unsupported).
    size_t reg_count(int node) const;

    // Memory reservation block (/memreserve/) entries.
    size_t memreserve_count() const;
    bool memreserve(size_t index, uint64_t& base, uint64_t& size) const;

    // Walk properties of a node: first = -1 to start.
    int next_property(int node, int prev, FdtProperty& out) const;

private:
    // Token at struct offset `off`; sets `next` to the following token. 0 = bad,
    // with the reason in *fault when given.
    uint32_t token(uint32_t off, uint32_t& next, const char** fault) const;
    bool is_node(int node) const;
    uint32_t first_token_after_name(int node) const;
    bool fill_property(uint32_t off, FdtProperty& out) const;
    const char* string_at_offset(uint32_t nameoff) const;
    uint32_t cells_property(int node, const char* name, uint32_t fallback) const;

    const uint8_t* blob_;
    size_t size_;                // readable bytes: min(available, totalsize)
    size_t available_;           // what the caller said may be read
    uint32_t total_ = 0;         // header totalsize
    uint32_t struct_off_ = 0;    // structure block [struct_off_, +struct_size_)
    uint32_t struct_size_ = 0;
    uint32_t strings_off_ = 0;   // strings block [strings_off_, +strings_size_)
    uint32_t strings_size_ = 0;
    uint32_t rsv_off_ = 0;       // memory reservation block start
};

}  // namespace keel
