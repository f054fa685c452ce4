// SPDX-License-Identifier: MIT
//
// core/domain/object_heap.hpp
// Owns where keel's per-domain objects (Domain, Vcpu) get their memory: whole
// frames from the heap pool (identity-mapped, so usable at once), sized up to a
// power of two. The target implementation is object_heap.cpp (memory().heap());
// the host unit tests provide their own. Objects are constructed with placement
// new by the caller; nothing here runs constructors or destructors.
#pragma once
#include <cstddef>

namespace keel {

/// Zeroed memory for an object of `bytes` (page aligned), or nullptr when the
/// heap pool is exhausted.
void* alloc_object_frames(size_t bytes);
/// Returns what alloc_object_frames(bytes) gave, with the same `bytes`.
void free_object_frames(void* p, size_t bytes);

}  // namespace keel
