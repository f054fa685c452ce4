// SPDX-License-Identifier: MIT
//
// lib/fdt_writer.hpp
// Owns FdtWriter: builds a flattened device tree (Devicetree Specification v0.4,
// "Flattened Devicetree (DTB) Format", version 17) front to back into a buffer
// the caller provides. No allocation, no alignment assumptions (every value is
// stored a byte at a time, big endian), and every write is bounds-checked: when
// the buffer is too small the call fails with Errno::NoSpc and nothing is
// written past the end. Errors are sticky: after the first failure every later
// call returns the same error, so a builder may check only finish().
//
// Usage: add_reservation()* → begin_node("") → (property* → (begin_node … end_node)*)
// → end_node() → finish(). Properties of a node must come before its children.
#pragma once
#include <cstddef>
#include <cstdint>

#include "lib/errno.hpp"
#include "lib/result.hpp"

namespace keel {

class FdtWriter {
public:
    static constexpr uint32_t kVersion = 17;
    static constexpr uint32_t kLastCompVersion = 16;
    static constexpr size_t kMaxDepth = 32;  // nesting keel ever writes is < 8

    /// Writes into [buf, buf + capacity). Capacity above 4 GiB is clamped (the
    /// DTB header holds 32-bit sizes).
    FdtWriter(void* buf, size_t capacity);

    FdtWriter(const FdtWriter&) = delete;
    FdtWriter& operator=(const FdtWriter&) = delete;

    /// One /memreserve/ entry; only before the first begin_node().
    Result<void> add_reservation(uint64_t base, uint64_t size);

    /// Opens a node. The first node must be the root, named "". Other names are
    /// 1..255 bytes of printable characters without '/'.
    Result<void> begin_node(const char* name);
    Result<void> end_node();

    /// A property of the currently open node; `len` bytes of `data` (may be null
    /// when len is 0). Names are 1..255 printable characters.
    Result<void> property(const char* name, const void* data, size_t len);
    Result<void> property_empty(const char* name) { return property(name, nullptr, 0); }
    Result<void> property_u32(const char* name, uint32_t value);
    /// A 64-bit value as two cells (most significant first).
    Result<void> property_u64(const char* name, uint64_t value);
    /// `count` 32-bit cells.
    Result<void> property_cells(const char* name, const uint32_t* cells, size_t count);
    /// `count` values, each written as `cells_per_value` (1 or 2) cells; a value
    /// that does not fit in one cell is rejected with Errno::Range.
    Result<void> property_values(const char* name, const uint64_t* values, size_t count,
                                 uint32_t cells_per_value);
    /// A NUL-terminated string.
    Result<void> property_string(const char* name, const char* value);
    /// A string list: each entry NUL-terminated, concatenated.
    Result<void> property_strings(const char* name, const char* const* list, size_t count);

    /// Closes the blob: FDT_END, strings block moved next to the structure
    /// block, header written. Returns the total size (the blob starts at buf).
    /// All nodes must be closed. After finish() the writer accepts nothing more.
    Result<size_t> finish(uint32_t boot_cpuid_phys = 0);

    /// Whether any call failed, and the first error (meaningful only when failed()).
    bool failed() const { return failed_; }
    Errno error() const { return error_; }
    size_t depth() const { return depth_; }

private:
    Result<void> fail(Errno e);
    Result<void> usable();  // sticky error / finished check
    Result<void> put_u32(uint32_t v);
    Result<void> put_bytes(const void* data, size_t len);
    Result<void> pad4();
    // Distance of an existing `name` from the end of the buffer, 0 if absent:
    // the lowest occurrence in the strings block. Remembered per name in
    // found_ until the block grows, so a name used again costs O(len), not a
    // scan of the block.
    size_t find_string(const char* name, size_t len);
    // The same for `name`, added to the strings block when absent.
    Result<uint32_t> string_offset(const char* name, size_t len);

    uint8_t* buf_;
    size_t cap_;
    size_t rsv_count_ = 0;     // reservation entries written (plus the terminator at finish)
    size_t struct_start_ = 0;  // 0 until the root node opens
    size_t pos_ = 0;           // next free byte of the growing structure block
    size_t strings_len_ = 0;   // strings live at [cap_ - strings_len_, cap_)
    size_t depth_ = 0;
    bool root_done_ = false;
    bool child_seen_[kMaxDepth + 1] = {};  // a child node closed at this depth
    static constexpr size_t kFoundSlots = 16;
    uint32_t found_[kFoundSlots] = {};     // find_string results by name hash (0 = empty)
    bool finished_ = false;
    bool failed_ = false;
    Errno error_ = Errno::Inval;
};

}  // namespace keel
