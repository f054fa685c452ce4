// SPDX-License-Identifier: MIT
//
// lib/fdt.hpp
// Owns keel's flattened-device-tree reader (Devicetree Specification v0.4,
// "Flattened Devicetree (DTB) Format"). Read-only, allocation-free, and defensive:
// every offset and length in the blob is bounds-checked against the size the
// header claims AND the size the caller knows is mapped, so a malformed blob
// yields an error, never an out-of-bounds read. Shared by keel and the host tests.
#pragma once
#include <cstddef>
#include <cstdint>

namespace keel {

enum class FdtError : uint8_t {
    None,
    BadMagic,
    Truncated,       // totalsize larger than what is available, or a block past the end
    BadVersion,
    BadStructure,    // malformed token stream / misaligned offsets / unterminated string
    NotFound,
};
const char* fdt_error_name(FdtError e);

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
    // Validates the header and every block boundary; `available` is how many bytes
    // starting at `blob` may be read.
    static FdtError check(const void* blob, size_t available);

    // Constructs over an already checked blob.
    Fdt(const void* blob, size_t available);
    uint32_t total_size() const;

    int root() const { return 0; }
    // Node offsets: >= 0 valid; < 0 = none. first_child/next_sibling walk the tree;
    // next_node walks in document order with a depth counter.
    int first_child(int node) const;
    int next_sibling(int node) const;
    int next_node(int node, int* depth) const;
    const char* node_name(int node) const;  // "cpu@0"; "" for root
    int parent(int node) const;
    int path_offset(const char* path) const;  // "/chosen", "/cpus/cpu@0"; also aliases
    int node_by_phandle(uint32_t phandle) const;
    int first_compatible(const char* compat, int after = -1) const;

    bool property(int node, const char* name, FdtProperty& out) const;
    bool has_property(int node, const char* name) const;
    bool is_compatible(int node, const char* compat) const;
    // #address-cells / #size-cells that apply to node's "reg" (from its parent; defaults 2/1).
    uint32_t address_cells_for(int node) const;
    uint32_t size_cells_for(int node) const;
    // Entry i of node's "reg" with the parent's cell sizes. false when absent/short.
    bool reg(int node, size_t index, uint64_t& base, uint64_t& size) const;

    // Memory reservation block (/memreserve/) entries.
    size_t memreserve_count() const;
    bool memreserve(size_t index, uint64_t& base, uint64_t& size) const;

    // Walk properties of a node: first = -1 to start.
    int next_property(int node, int prev, FdtProperty& out) const;

private:
    const uint8_t* blob_;
    size_t size_;
    // ... (implementation detail members as needed)
};

}  // namespace keel
