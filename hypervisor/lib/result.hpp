// SPDX-License-Identifier: MIT
//
// lib/result.hpp
// Owns Result<T>: a value or an Errno, the only error-propagation mechanism in
// keel (no exceptions). KEEL_TRY unwraps or returns the error to the caller.
#pragma once
#include <new>
#include <type_traits>
#include <utility>

#include "lib/check.hpp"
#include "lib/errno.hpp"

namespace keel {

struct Unit {};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(const T& v) : ok_{true} { new (&storage_) T(v); }
    Result(T&& v) : ok_{true} { new (&storage_) T(std::move(v)); }
    Result(Errno e) : ok_{false}, error_{e} {}
    Result(const Result& o) : ok_{o.ok_}, error_{o.error_}
    {
        if (ok_) new (&storage_) T(*o.ptr());
    }
    Result(Result&& o) : ok_{o.ok_}, error_{o.error_}
    {
        if (ok_) new (&storage_) T(std::move(*o.ptr()));
    }
    Result& operator=(const Result&) = delete;
    ~Result()
    {
        if (ok_) ptr()->~T();
    }

    bool ok() const { return ok_; }
    T& value()
    {
        KEEL_CHECK(ok_);
        return *ptr();
    }
    const T& value() const
    {
        KEEL_CHECK(ok_);
        return *ptr();
    }
    Errno error() const
    {
        KEEL_CHECK(!ok_);
        return error_;
    }
    T value_or(T fallback) const { return ok_ ? *ptr() : fallback; }

private:
    // Through void*: storage_ is alignas(T), which -Wcast-align cannot see.
    T* ptr() { return std::launder(static_cast<T*>(static_cast<void*>(&storage_))); }
    const T* ptr() const { return std::launder(static_cast<const T*>(static_cast<const void*>(&storage_))); }

    bool ok_;
    Errno error_ = Errno::Inval;
    alignas(T) unsigned char storage_[sizeof(T)];
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() : ok_{true} {}
    Result(Unit) : ok_{true} {}
    Result(Errno e) : ok_{false}, error_{e} {}
    bool ok() const { return ok_; }
    Unit value() const
    {
        KEEL_CHECK(ok_);
        return {};
    }
    Errno error() const
    {
        KEEL_CHECK(!ok_);
        return error_;
    }

private:
    bool ok_;
    Errno error_ = Errno::Inval;
};

}  // namespace keel

#define KEEL_TRY(expr)                                 \
    ({                                                 \
        auto keel_try_ = (expr);                       \
        if (!keel_try_.ok()) return keel_try_.error(); \
        std::move(keel_try_.value());                  \
    })
