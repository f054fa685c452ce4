// SPDX-License-Identifier: MIT
//
// core/boot/cmdline.cpp
// Owns the command-line parser: splitting into words (double quotes keep
// spaces inside a value), the table of options keel knows with their kinds,
// Xen's boolean spellings and "no-" prefix, and the unknown-options line.
// Syntax facts: Xen's docs/misc/xen-command-line.pandoc ("Types of parameter").
#include "core/boot/cmdline.hpp"

#include "lib/fmt.hpp"

namespace keel {
namespace {

enum class Kind : uint8_t { Bool, Text, Number };

struct OptionSpec {
    const char* name;
    Kind kind;
    bool BootOptions::* flag;
    StrRef BootOptions::* text;
    uint64_t BootOptions::* number;
};

constexpr OptionSpec flag_option(const char* name, bool BootOptions::* m)
{
    return {name, Kind::Bool, m, nullptr, nullptr};
}
constexpr OptionSpec text_option(const char* name, StrRef BootOptions::* m)
{
    return {name, Kind::Text, nullptr, m, nullptr};
}
constexpr OptionSpec number_option(const char* name, uint64_t BootOptions::* m)
{
    return {name, Kind::Number, nullptr, nullptr, m};
}

// keel's own options, then the Xen options keel reads or deliberately accepts.
constexpr OptionSpec kOptions[] = {
    flag_option("keel.selftest", &BootOptions::selftest),
    flag_option("keel.exit_when_idle", &BootOptions::exit_when_idle),
    flag_option("keel.log_cpu_features", &BootOptions::log_cpu_features),
    text_option("console", &BootOptions::console),
    text_option("dtuart", &BootOptions::dtuart),
    text_option("dom0_mem", &BootOptions::dom0_mem),
    text_option("dom0_max_vcpus", &BootOptions::dom0_max_vcpus),
    flag_option("dom0_vcpus_pin", &BootOptions::dom0_vcpus_pin),
    text_option("bootscrub", &BootOptions::bootscrub),
    text_option("sched", &BootOptions::sched),
    text_option("loglvl", &BootOptions::loglvl),
    text_option("guest_loglvl", &BootOptions::guest_loglvl),
    flag_option("sync_console", &BootOptions::sync_console),
    text_option("console_timestamps", &BootOptions::console_timestamps),
    number_option("xenheap_megabytes", &BootOptions::xenheap_megabytes),
};

constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Option names compare with '-' and '_' treated as the same character (as Xen does).
bool name_matches(StrRef name, const char* spec)
{
    size_t i = 0;
    for (; i < name.len; ++i) {
        char a = name.data[i];
        char b = spec[i];
        if (b == '\0') return false;
        if (a == '-') a = '_';
        if (b == '-') b = '_';
        if (a != b) return false;
    }
    return spec[i] == '\0';
}

const OptionSpec* find_option(StrRef name)
{
    for (const OptionSpec& spec : kOptions)
        if (name_matches(name, spec.name)) return &spec;
    return nullptr;
}

// Xen's boolean spellings. Returns false when `v` is none of them.
bool parse_bool(StrRef v, bool& out)
{
    if (v.equals("1") || v.equals("yes") || v.equals("true") || v.equals("on") ||
        v.equals("enable")) {
        out = true;
        return true;
    }
    if (v.equals("0") || v.equals("no") || v.equals("false") || v.equals("off") ||
        v.equals("disable")) {
        out = false;
        return true;
    }
    return false;
}

// Decimal or 0x-prefixed hexadecimal, no overflow, nothing after the digits.
bool parse_number(StrRef v, uint64_t& out)
{
    unsigned base = 10;
    if (v.starts_with("0x") || v.starts_with("0X")) {
        base = 16;
        v = v.drop(2);
    }
    if (v.empty()) return false;
    uint64_t n = 0;
    for (size_t i = 0; i < v.len; ++i) {
        const char c = v.data[i];
        unsigned d = 0;
        if (c >= '0' && c <= '9') {
            d = static_cast<unsigned>(c - '0');
        } else if (base == 16 && c >= 'a' && c <= 'f') {
            d = static_cast<unsigned>(c - 'a') + 10;
        } else if (base == 16 && c >= 'A' && c <= 'F') {
            d = static_cast<unsigned>(c - 'A') + 10;
        } else {
            return false;
        }
        if (n > (UINT64_MAX - d) / base) return false;
        n = n * base + d;
    }
    out = n;
    return true;
}

StrRef unquote(StrRef v)
{
    if (v.len >= 1 && v.data[0] == '"') v = v.drop(1);
    if (v.len >= 1 && v.data[v.len - 1] == '"') v.len -= 1;
    return v;
}

// Applies one word; returns false when the word goes to `unknown` (bad = its value).
bool apply_word(StrRef word, BootOptions& out, bool& bad)
{
    bad = false;
    StrRef name = word;
    StrRef value;
    bool has_value = false;
    for (size_t i = 0; i < word.len; ++i) {
        if (word.data[i] == '=') {
            name = StrRef{word.data, i};
            value = unquote(word.drop(i + 1));
            has_value = true;
            break;
        }
    }

    const OptionSpec* spec = find_option(name);
    bool negated = false;
    if (spec == nullptr && name.starts_with("no-")) {
        spec = find_option(name.drop(3));
        negated = true;
        if (spec != nullptr && spec->kind != Kind::Bool) return false;  // "no-" is for booleans
    }
    if (spec == nullptr) return false;

    switch (spec->kind) {
    case Kind::Bool: {
        bool v = true;
        if (has_value && !parse_bool(value, v)) {
            bad = true;
            return false;
        }
        out.*(spec->flag) = negated ? !v : v;
        return true;
    }
    case Kind::Text:
        out.*(spec->text) = has_value ? value : StrRef{word.data + word.len, 0};
        return true;
    case Kind::Number: {
        uint64_t v = 0;
        if (!has_value || !parse_number(value, v)) {
            bad = true;
            return false;
        }
        out.*(spec->number) = v;
        return true;
    }
    }
    return false;
}

void put_ref(FmtBuffer& out, StrRef s)
{
    for (size_t i = 0; i < s.len; ++i) out.put(s.data[i]);
}

}  // namespace

void UnknownOptions::add(StrRef word, bool bad)
{
    if (count == kMaxUnknownOptions) {
        ++dropped;
        return;
    }
    words[count] = word;
    bad_value[count] = bad;
    ++count;
}

void parse_cmdline(const char* text, BootOptions& out, UnknownOptions& unknown)
{
    if (text == nullptr) return;
    const char* p = text;
    for (;;) {
        while (is_space(*p)) ++p;
        if (*p == '\0') return;
        const char* start = p;
        bool quoted = false;
        for (; *p != '\0' && (quoted || !is_space(*p)); ++p)
            if (*p == '"') quoted = !quoted;
        const StrRef word{start, static_cast<size_t>(p - start)};
        bool bad = false;
        if (!apply_word(word, out, bad)) unknown.add(word, bad);
    }
}

void format_unknown_options(const UnknownOptions& unknown, FmtBuffer& out)
{
    if (unknown.empty()) return;
    bool any_unknown = false;
    bool any_bad = false;
    for (size_t i = 0; i < unknown.count; ++i)
        (unknown.bad_value[i] ? any_bad : any_unknown) = true;

    format_to(out, "keel: warning: ");
    if (any_unknown) {
        format_to(out, "unknown command-line options ignored:");
        for (size_t i = 0; i < unknown.count; ++i) {
            if (unknown.bad_value[i]) continue;
            out.put(' ');
            put_ref(out, unknown.words[i]);
        }
    }
    if (any_bad) {
        format_to(out, any_unknown ? "; bad values ignored:"
                                   : "command-line options with bad values ignored:");
        for (size_t i = 0; i < unknown.count; ++i) {
            if (!unknown.bad_value[i]) continue;
            out.put(' ');
            put_ref(out, unknown.words[i]);
        }
    }
    if (unknown.dropped != 0) {
        if (!any_unknown && !any_bad) format_to(out, "unknown command-line options ignored:");
        format_to(out, " (and {} more)", unknown.dropped);
    }
}

bool bootscrub_enabled(const BootOptions& o)
{
    bool on = true;
    if (!o.bootscrub.present() || o.bootscrub.equals("idle")) return true;
    return !parse_bool(o.bootscrub, on) || on;
}

}  // namespace keel
