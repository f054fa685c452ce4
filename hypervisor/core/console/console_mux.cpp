// SPDX-License-Identifier: MIT
//
// core/console/console_mux.cpp
// Owns the console input state machine (see console_mux.hpp): CTRL-a counting,
// the focus rotation, and keel's input line. Pure.
#include "core/console/console_mux.hpp"

namespace keel {

bool ConsoleMux::add(DomId id, const char* name, void* target)
{
    if (count_ == kMaxTargets) return false;
    size_t at = 0;
    for (; at < count_ && targets_[at].id < id; ++at) {
    }
    if (at < count_ && targets_[at].id == id) return false;
    for (size_t i = count_; i > at; --i) targets_[i] = targets_[i - 1];
    targets_[at] = Target{id, name, target};
    ++count_;
    if (focus_ != kKeel && focus_ >= at) ++focus_;  // the same domain keeps the focus
    return true;
}

bool ConsoleMux::remove(DomId id)
{
    size_t at = 0;
    for (; at < count_ && targets_[at].id != id; ++at) {
    }
    if (at == count_) return false;
    for (size_t i = at; i + 1 < count_; ++i) targets_[i] = targets_[i + 1];
    --count_;
    targets_[count_] = Target{};
    if (focus_ == kKeel) return false;
    if (focus_ == at) {
        focus_ = kKeel;
        return true;
    }
    if (focus_ > at) --focus_;
    return false;
}

bool ConsoleMux::set_focus(DomId id)
{
    for (size_t i = 0; i < count_; ++i) {
        if (targets_[i].id != id) continue;
        focus_ = i;
        keel_len_ = 0;
        return true;
    }
    return false;
}

// Xen's console_switch_input(): the next target in order, after the last one keel.
void ConsoleMux::rotate(const ConsoleMuxSink& sink)
{
    focus_ = focus_ == kKeel ? 0 : focus_ + 1;
    if (focus_ >= count_) focus_ = kKeel;
    keel_len_ = 0;
    if (sink.switched == nullptr) return;
    if (focus_ == kKeel)
        sink.switched(sink.ctx, kDomIdInvalid, "keel");
    else
        sink.switched(sink.ctx, targets_[focus_].id, targets_[focus_].name);
}

void ConsoleMux::deliver(char c, const ConsoleMuxSink& sink)
{
    if (focus_ != kKeel) {
        if (sink.domain_byte != nullptr) sink.domain_byte(sink.ctx, targets_[focus_].target, c);
        return;
    }
    if (c == '\n' && last_cr_) {  // "\r\n" from a terminal is one line end
        last_cr_ = false;
        return;
    }
    last_cr_ = c == '\r';
    if (c == '\r' || c == '\n') {
        if (sink.keel_line != nullptr) sink.keel_line(sink.ctx, keel_line_, keel_len_);
        keel_len_ = 0;
    } else if (c == 0x7f || c == '\b') {  // DEL / backspace
        if (keel_len_ > 0) --keel_len_;
    } else if (keel_len_ < kKeelLineMax) {
        keel_line_[keel_len_++] = c;
    }
}

void ConsoleMux::input(char c, const ConsoleMuxSink& sink)
{
    if (c == kConsoleSwitchChar) {
        if (++switch_seen_ == kConsoleSwitchCount) {
            switch_seen_ = 0;
            rotate(sink);
        }
        return;
    }
    // Fewer than three: the CTRL-a bytes were meant for the target after all.
    for (; switch_seen_ != 0; --switch_seen_) deliver(kConsoleSwitchChar, sink);
    deliver(c, sink);
}

}  // namespace keel
