// SPDX-License-Identifier: MIT
// vecta/similarity/elementwise.hpp - element-wise arithmetic on row-major matrices: add,
// subtract, multiply, divide (a op b, b either the same shape or one row broadcast to every
// row of a) and scale (a * s). float and double; xsimd with a scalar path (identical results:
// one IEEE operation per element). Division by zero follows IEEE (inf, NaN).
#pragma once

#include <cstddef>
#include <string_view>
#include <type_traits>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/simd.hpp"
#include "matrix_view.hpp"

namespace vecta {

/// The binary operation of vecta::elementwise.
enum class arith { add, subtract, multiply, divide };

namespace detail {

template <arith Op>
struct arith_kernel {
    template <class V>
    static V apply(const V& x, const V& y) noexcept {
        if constexpr (Op == arith::add)
            return x + y;
        else if constexpr (Op == arith::subtract)
            return x - y;
        else if constexpr (Op == arith::multiply)
            return x * y;
        else
            return x / y;
    }
    template <class T>
    void operator()(simd::scalar_t, const T* a, const T* b, T* out, std::size_t n) const noexcept {
        for (std::size_t i = 0; i < n; ++i) out[i] = apply(a[i], b[i]);
    }
    template <class Arch, class T>
    void operator()(Arch, const T* a, const T* b, T* out, std::size_t n) const noexcept {
        using batch = xsimd::batch<T, Arch>;
        std::size_t i = 0;
        for (; i + batch::size <= n; i += batch::size)
            apply(batch::load_unaligned(a + i), batch::load_unaligned(b + i)).store_unaligned(out + i);
        for (; i < n; ++i) out[i] = apply(a[i], b[i]);
    }
};

struct scale_kernel {
    template <class T>
    void operator()(simd::scalar_t, const T* a, T s, T* out, std::size_t n) const noexcept {
        for (std::size_t i = 0; i < n; ++i) out[i] = a[i] * s;
    }
    template <class Arch, class T>
    void operator()(Arch, const T* a, T s, T* out, std::size_t n) const noexcept {
        using batch = xsimd::batch<T, Arch>;
        const batch sv(s);
        std::size_t i = 0;
        for (; i + batch::size <= n; i += batch::size) (batch::load_unaligned(a + i) * sv).store_unaligned(out + i);
        for (; i < n; ++i) out[i] = a[i] * s;
    }
};

/// Same data pointer and stride (exact aliasing, allowed) or no overlap at all.
template <class A, class B>
bool alias_ok(const matrix_view<A>& in, const matrix_view<B>& out) noexcept {
    const bool same = static_cast<const void*>(in.data()) == static_cast<const void*>(out.data()) &&
                      in.stride() == out.stride() && in.rows() == out.rows();
    return same || !views_overlap(in, out);
}

template <class T>
inline constexpr bool is_real_v = std::is_same_v<T, float> || std::is_same_v<T, double>;

}  // namespace detail

/// out = a op b element by element; b has a's shape, or one row (broadcast to every row of a).
/// out has a's shape and may be a or b itself (same data and stride), but must not overlap them
/// otherwise. O(rows * cols). Throws vecta::invalid_argument on a shape mismatch or overlap.
template <execution_policy P, class TA, class TB, class T>
requires detail::is_real_v<T> && std::is_same_v<std::remove_const_t<TA>, T> &&
    std::is_same_v<std::remove_const_t<TB>, T>
void elementwise(const P& policy, arith op, matrix_view<TA> a, matrix_view<TB> b, matrix_view<T> out) {
    constexpr std::string_view fn = "vecta::elementwise";
    detail::require(b.cols() == a.cols(), fn, "b.cols()", "must equal a.cols()");
    detail::require(b.rows() == a.rows() || b.rows() == 1, fn, "b.rows()", "must equal a.rows() or be 1 (broadcast)");
    detail::require(out.rows() == a.rows() && out.cols() == a.cols(), fn, "out", "must have the shape of a");
    detail::require(detail::alias_ok(a, out), fn, "out", "must be a itself or not overlap it");
    detail::require(detail::alias_ok(b, out), fn, "out", "must be b itself or not overlap it");
    const bool broadcast = b.rows() == 1 && a.rows() != 1;
    auto run = [&](auto kernel) {
        detail::parallel_for(policy, a.rows(), 256, [&](std::size_t r0, std::size_t r1) {
            for (std::size_t r = r0; r < r1; ++r)
                detail::simd_invoke(policy, kernel, static_cast<const T*>(a.row(r)),
                                    static_cast<const T*>(b.row(broadcast ? 0 : r)), out.row(r), a.cols());
        });
    };
    switch (op) {
        case arith::add: return run(detail::arith_kernel<arith::add>{});
        case arith::subtract: return run(detail::arith_kernel<arith::subtract>{});
        case arith::multiply: return run(detail::arith_kernel<arith::multiply>{});
        case arith::divide: return run(detail::arith_kernel<arith::divide>{});
    }
}

/// out = a + b (b same shape or one broadcast row). See vecta::elementwise.
template <execution_policy P, class TA, class TB, class T>
void add(const P& policy, matrix_view<TA> a, matrix_view<TB> b, matrix_view<T> out) {
    elementwise(policy, arith::add, a, b, out);
}
/// out = a - b (b same shape or one broadcast row). See vecta::elementwise.
template <execution_policy P, class TA, class TB, class T>
void subtract(const P& policy, matrix_view<TA> a, matrix_view<TB> b, matrix_view<T> out) {
    elementwise(policy, arith::subtract, a, b, out);
}
/// out = a * b element-wise (b same shape or one broadcast row). See vecta::elementwise.
template <execution_policy P, class TA, class TB, class T>
void multiply(const P& policy, matrix_view<TA> a, matrix_view<TB> b, matrix_view<T> out) {
    elementwise(policy, arith::multiply, a, b, out);
}
/// out = a / b element-wise (b same shape or one broadcast row); IEEE division by zero.
template <execution_policy P, class TA, class TB, class T>
void divide(const P& policy, matrix_view<TA> a, matrix_view<TB> b, matrix_view<T> out) {
    elementwise(policy, arith::divide, a, b, out);
}

/// out = a * s. out has a's shape and may be a itself. Throws vecta::invalid_argument on a
/// shape mismatch or partial overlap.
template <execution_policy P, class TA, class T>
requires detail::is_real_v<T> && std::is_same_v<std::remove_const_t<TA>, T>
void scale(const P& policy, matrix_view<TA> a, T s, matrix_view<T> out) {
    constexpr std::string_view fn = "vecta::scale";
    detail::require(out.rows() == a.rows() && out.cols() == a.cols(), fn, "out", "must have the shape of a");
    detail::require(detail::alias_ok(a, out), fn, "out", "must be a itself or not overlap it");
    detail::parallel_for(policy, a.rows(), 256, [&](std::size_t r0, std::size_t r1) {
        for (std::size_t r = r0; r < r1; ++r)
            detail::simd_invoke(policy, detail::scale_kernel{}, static_cast<const T*>(a.row(r)), s, out.row(r),
                                a.cols());
    });
}

template <class TA, class TB, class T>
void add(matrix_view<TA> a, matrix_view<TB> b, matrix_view<T> out) {
    add(seq, a, b, out);
}
template <class TA, class TB, class T>
void subtract(matrix_view<TA> a, matrix_view<TB> b, matrix_view<T> out) {
    subtract(seq, a, b, out);
}
template <class TA, class TB, class T>
void multiply(matrix_view<TA> a, matrix_view<TB> b, matrix_view<T> out) {
    multiply(seq, a, b, out);
}
template <class TA, class TB, class T>
void divide(matrix_view<TA> a, matrix_view<TB> b, matrix_view<T> out) {
    divide(seq, a, b, out);
}
template <class TA, class T>
void scale(matrix_view<TA> a, T s, matrix_view<T> out) {
    scale(seq, a, s, out);
}

}  // namespace vecta
