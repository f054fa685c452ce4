// SPDX-License-Identifier: MIT
//
// lib/fmt.cpp
// Owns the formatter behind format_to(): parses "{...}" specs and renders
// integers, strings, characters, booleans and addresses into a FmtBuffer.
#include "lib/fmt.hpp"

namespace keel {
namespace {

struct Spec {
    bool hex = false;
    bool upper = false;
    bool alt = false;   // '#': 0x prefix
    bool zero = false;  // '0': zero padding
    bool left = false;  // '<': left alignment
    unsigned width = 0;
};

// Parses the text between ':' and '}' (exclusive); returns the pointer past '}'.
const char* parse_spec(const char* p, Spec& spec)
{
    if (*p == ':') {
        ++p;
        if (*p == '<') {
            spec.left = true;
            ++p;
        } else if (*p == '>') {
            ++p;
        }
        if (*p == '#') {
            spec.alt = true;
            ++p;
        }
        if (*p == '0') {
            spec.zero = true;
            ++p;
        }
        while (*p >= '0' && *p <= '9') spec.width = spec.width * 10 + static_cast<unsigned>(*p++ - '0');
        if (*p == 'x') {
            spec.hex = true;
            ++p;
        } else if (*p == 'X') {
            spec.hex = spec.upper = true;
            ++p;
        } else if (*p == 'd' || *p == 's') {
            ++p;
        }
    }
    while (*p != '\0' && *p != '}') ++p;  // ignore anything unsupported
    return *p == '}' ? p + 1 : p;
}

void emit_padded(FmtBuffer& out, const char* body, size_t len, const Spec& spec, const char* prefix)
{
    size_t plen = 0;
    while (prefix[plen] != '\0') ++plen;
    size_t total = len + plen;
    size_t pad = spec.width > total ? spec.width - total : 0;
    if (!spec.left && !spec.zero)
        for (size_t i = 0; i < pad; ++i) out.put(' ');
    out.put(prefix);
    if (spec.zero && !spec.left)
        for (size_t i = 0; i < pad; ++i) out.put('0');
    for (size_t i = 0; i < len; ++i) out.put(body[i]);
    if (spec.left)
        for (size_t i = 0; i < pad; ++i) out.put(' ');
}

void emit_unsigned(FmtBuffer& out, uint64_t v, bool negative, const Spec& spec, bool force_hex)
{
    char digits[24];
    size_t n = 0;
    const bool hex = spec.hex || force_hex;
    const char* set = spec.upper ? "0123456789ABCDEF" : "0123456789abcdef";
    const unsigned base = hex ? 16 : 10;
    do {
        digits[n++] = set[v % base];
        v /= base;
    } while (v != 0);
    char body[24];
    for (size_t i = 0; i < n; ++i) body[i] = digits[n - 1 - i];
    const char* prefix = negative ? "-" : ((hex && (spec.alt || force_hex)) ? "0x" : "");
    emit_padded(out, body, n, spec, prefix);
}

void emit(FmtBuffer& out, const FmtArg& a, const Spec& spec)
{
    switch (a.kind) {
    case FmtArg::Kind::Signed:
        if (a.s < 0 && !spec.hex)
            emit_unsigned(out, static_cast<uint64_t>(0) - static_cast<uint64_t>(a.s), true, spec, false);
        else
            emit_unsigned(out, static_cast<uint64_t>(a.s), false, spec, false);
        return;
    case FmtArg::Kind::Unsigned: emit_unsigned(out, a.u, false, spec, false); return;
    case FmtArg::Kind::Ptr: emit_unsigned(out, a.u, false, spec, true); return;
    case FmtArg::Kind::Bool: emit_padded(out, a.u ? "true" : "false", a.u ? 4 : 5, spec, ""); return;
    case FmtArg::Kind::Char: {
        const char c = static_cast<char>(a.u);
        emit_padded(out, &c, 1, spec, "");
        return;
    }
    case FmtArg::Kind::Str: {
        const char* s = a.str != nullptr ? a.str : "(null)";
        size_t len = 0;
        while (s[len] != '\0') ++len;
        emit_padded(out, s, len, spec, "");
        return;
    }
    }
}

}  // namespace

void vformat_to(FmtBuffer& out, const char* fmt, const FmtArg* args, size_t nargs)
{
    size_t next = 0;
    for (const char* p = fmt; *p != '\0';) {
        if (p[0] == '{' && p[1] == '{') {
            out.put('{');
            p += 2;
        } else if (p[0] == '}' && p[1] == '}') {
            out.put('}');
            p += 2;
        } else if (p[0] == '{') {
            Spec spec;
            p = parse_spec(p + 1, spec);
            if (next < nargs)
                emit(out, args[next++], spec);
            else
                out.put("{?}");
        } else {
            out.put(*p++);
        }
    }
}

}  // namespace keel
