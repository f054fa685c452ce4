// SPDX-License-Identifier: MIT
//
// core/memory/frame_ref.cpp
// Owns frame_get / frame_put over a P2mEnv: the record lookup and the free of
// an orphaned frame's last reference (frame_ref.hpp). Pure.
#include "core/memory/frame_ref.hpp"

#include "core/memory/p2m.hpp"
#include "lib/check.hpp"

namespace keel {

Result<void> frame_get(P2mEnv& env, Mfn mfn)
{
    FrameInfo* f = env.frames().find(mfn);
    if (f == nullptr) return {};  // not RAM keel counts (static shared memory outside banks)
    if (!frame_ref_get(*f)) return Errno::Overflow;
    return {};
}

void frame_put(P2mEnv& env, Mfn mfn)
{
    FrameInfo* f = env.frames().find(mfn);
    if (f == nullptr) return;
    KEEL_CHECK((std::atomic_ref<uint32_t>{f->refcount}.load() & kFrameRefMax) != 0);
    if (frame_ref_put(*f)) env.free_ram(mfn, 0);
}

bool keel_page_owner_drop(P2mEnv& env, Mfn mfn)
{
    FrameInfo* f = env.frames().find(mfn);
    return f == nullptr || frame_ref_owner_drop(*f);
}

}  // namespace keel
