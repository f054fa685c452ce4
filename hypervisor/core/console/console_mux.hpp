// SPDX-License-Identifier: MIT
//
// core/console/console_mux.hpp
// Owns where console input goes, as Xen's serial_rx()/console_switch_input()
// (xen/drivers/char/console.c) do it: keel's physical UART receives; three
// CTRL-a in a row rotate the input focus keel -> d1 -> d2 -> ... -> keel
// (only domains with a vPL011, in domid order) and print which one has it;
// one or two CTRL-a followed by another byte are delivered as typed. Input
// for keel is collected into lines (keel has no console commands yet, so a
// line is only acknowledged); input for a domain goes to its vPL011, input for
// dom0 (which has none) to the ring its CONSOLEIO_read empties (console_rx_ring.hpp).
//  - ConsoleMux (pure, console_mux.cpp): the state machine, host-tested.
//  - the device glue (console_input.cpp, image only): the host PL011's receive
//    interrupt, the one ConsoleMux instance and its lock, the printed lines.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "core/domain/domain.hpp"

namespace keel {

struct BootInfo;

// The switch character: CTRL-a, Xen's default "conswitch=a".
inline constexpr char kConsoleSwitchChar = 0x01;
inline constexpr char kConsoleSwitchLetter = 'a';
inline constexpr uint32_t kConsoleSwitchCount = 3;

// What the mux asks its owner to do with input.
struct ConsoleMuxSink {
    // Keel has the focus and a line (without its line ending) is complete.
    void (*keel_line)(void* ctx, const char* text, size_t len) = nullptr;
    // A byte for the focused domain (`target` as given to add()).
    void (*domain_byte)(void* ctx, void* target, char c) = nullptr;
    // The focus moved; id is kDomIdInvalid and name "keel" for keel itself.
    void (*switched)(void* ctx, DomId id, const char* name) = nullptr;
    void* ctx = nullptr;
};

class ConsoleMux {
public:
    static constexpr size_t kMaxTargets = 16;
    static constexpr size_t kKeelLineMax = 120;

    /// Offers domain `id` as an input target (kept in domid order); false when
    /// full or already present.
    bool add(DomId id, const char* name, void* target);
    /// Withdraws `id`; returns true when it had the focus (now back to keel).
    bool remove(DomId id);
    /// Gives the focus to `id` (a target already added), without a switch line:
    /// Xen hands input to dom0 at the end of boot. False when `id` is no target.
    bool set_focus(DomId id);
    /// Feeds one received byte.
    void input(char c, const ConsoleMuxSink& sink);

    /// The focused domain, or kDomIdInvalid when keel has the focus.
    DomId focus() const { return focus_ < count_ ? targets_[focus_].id : kDomIdInvalid; }
    /// The focused domain's `target` (as given to add()), or nullptr for keel.
    void* focus_target() const { return focus_ < count_ ? targets_[focus_].target : nullptr; }
    /// Bytes input(c) may deliver at most: the pending CTRL-a bytes and c.
    uint32_t max_delivery() const { return switch_seen_ + 1; }
    size_t targets() const { return count_; }

private:
    struct Target {
        DomId id = kDomIdInvalid;
        const char* name = "";
        void* target = nullptr;
    };
    static constexpr size_t kKeel = kMaxTargets;  // focus_ value for keel

    void deliver(char c, const ConsoleMuxSink& sink);
    void rotate(const ConsoleMuxSink& sink);

    Target targets_[kMaxTargets] = {};
    size_t count_ = 0;
    size_t focus_ = kKeel;
    uint32_t switch_seen_ = 0;  // consecutive CTRL-a not yet delivered
    char keel_line_[kKeelLineMax] = {};
    size_t keel_len_ = 0;
    bool last_cr_ = false;
};

// ---- device glue (image only: console_input.cpp)

/// Turns on console input: registers and enables the host UART's receive
/// interrupt (BootInfo::uart_intid) and unmasks it in the UART. Without an
/// interrupt in the device tree, input stays off and a line says so. Boot CPU,
/// after the GIC is up; console_input_attach() calls it for the first domain.
void console_input_init(const BootInfo& boot);

/// The domain that has console input, or kDomIdInvalid (keel). Lock-free.
DomId console_input_focus();

/// A focused domain read input: if the UART's receive interrupt was turned off
/// because that domain's FIFO was full, turn it back on. Any CPU; cheap when
/// nothing is held back. Not with a vPL011 lock held.
void console_input_resume();

/// Adds / removes `d` as an input target (vpl011_init / vpl011_release).
void console_input_attach(Domain& d);
/// [dom0] Adds dom0 (no vPL011: its input is read with CONSOLEIO_read, each byte
/// raising VIRQ_CONSOLE) and gives it the focus, as Xen does at the end of boot.
void console_input_attach_hwdom(Domain& d);
/// [dom0] Takes up to `max` bytes of the input waiting for dom0; how many.
size_t console_input_read_hwdom(char* out, size_t max);
void console_input_detach(Domain& d);

}  // namespace keel
