// SPDX-License-Identifier: MIT
// vecta/similarity/matrix_view.hpp - matrix_view<T>: a non-owning row-major matrix (rows x cols,
// row stride in elements), the input and output shape of the similarity kernels.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <span>
#include <string_view>
#include <type_traits>

#include "../core/error.hpp"

namespace vecta {

/// Non-owning view of a row-major matrix: element (i, j) sits at data[i * stride + j], the
/// stride is counted in elements and is at least cols. Rows are vectors (embeddings), cols is
/// their dimension. A view with 0 rows is empty; the kernels reject views with 0 columns.
/// Eigen interop: a row-major Eigen::Map or matrix `m` is
/// `vecta::matrix_view<const float>{m.data(), size_t(m.rows()), size_t(m.cols()), size_t(m.outerStride())}`.
template <class T>
class matrix_view {
public:
    using value_type = std::remove_cv_t<T>;
    using element_type = T;

    constexpr matrix_view() noexcept = default;

    /// Wraps `data`. `stride` 0 means tightly packed (cols).
    /// Throws vecta::invalid_argument if stride < cols, the extent in bytes exceeds PTRDIFF_MAX,
    /// or data is null for a non-empty matrix.
    matrix_view(T* data, std::size_t rows, std::size_t cols, std::size_t stride = 0)
        : data_(data), rows_(rows), cols_(cols), stride_(stride == 0 ? cols : stride) {
        constexpr std::string_view fn = "vecta::matrix_view";
        detail::require(stride == 0 || stride >= cols, fn, "stride", "must be >= cols");
        if (rows > 0) {
            constexpr std::size_t max_elems = std::size_t(std::numeric_limits<std::ptrdiff_t>::max()) / sizeof(T);
            detail::require(stride_ == 0 || rows <= max_elems / stride_, fn, "rows * stride",
                            "exceeds the addressable size in bytes");
        }
        detail::require(data != nullptr || rows == 0 || cols == 0, fn, "data",
                        "must not be null for a non-empty matrix");
    }

    /// Views a contiguous span of rows * cols values. Throws vecta::invalid_argument if cols is 0
    /// or the span size is not a multiple of cols.
    matrix_view(std::span<T> values, std::size_t cols)
        : matrix_view(values.data(), cols == 0 ? 0 : values.size() / cols, cols) {
        detail::require(cols > 0, "vecta::matrix_view", "cols", "must be >= 1");
        detail::require(values.size() % cols == 0, "vecta::matrix_view", "values.size()", "must be a multiple of cols");
    }

    /// matrix_view<T> converts to matrix_view<const T>.
    template <class U>
    requires(std::is_const_v<T>&& std::is_same_v<const U, T>) constexpr matrix_view(const matrix_view<U>& o) noexcept
        : data_(o.data()), rows_(o.rows()), cols_(o.cols()), stride_(o.stride()) {}

    constexpr T* data() const noexcept { return data_; }
    constexpr std::size_t rows() const noexcept { return rows_; }
    constexpr std::size_t cols() const noexcept { return cols_; }
    /// Distance between the starts of two consecutive rows, in elements.
    constexpr std::size_t stride() const noexcept { return stride_; }
    constexpr bool empty() const noexcept { return rows_ == 0 || cols_ == 0; }
    constexpr bool contiguous() const noexcept { return stride_ == cols_ || rows_ <= 1; }

    /// Row i (unchecked).
    constexpr T* row(std::size_t i) const noexcept { return data_ + i * stride_; }
    constexpr std::span<T> row_span(std::size_t i) const noexcept { return {row(i), cols_}; }
    constexpr T& operator()(std::size_t i, std::size_t j) const noexcept { return data_[i * stride_ + j]; }

    /// Rows [first, first + count) (unchecked).
    constexpr matrix_view sub_rows(std::size_t first, std::size_t count) const noexcept {
        matrix_view v;
        v.data_ = row(first);
        v.rows_ = count;
        v.cols_ = cols_;
        v.stride_ = stride_;
        return v;
    }

private:
    T* data_ = nullptr;
    std::size_t rows_ = 0, cols_ = 0, stride_ = 0;
};

template <class T>
matrix_view(T*, std::size_t, std::size_t, std::size_t) -> matrix_view<T>;
template <class T>
matrix_view(T*, std::size_t, std::size_t) -> matrix_view<T>;

namespace detail {

/// a * b, throwing vecta::invalid_argument when the product overflows size_t.
inline std::size_t checked_mul_size(std::size_t a, std::size_t b) {
    require(a == 0 || b <= std::numeric_limits<std::size_t>::max() / a, "vecta::similarity", "rows * cols",
            "overflows std::size_t");
    return a * b;
}

/// True when the element ranges of two views overlap in memory.
template <class A, class B>
bool views_overlap(const matrix_view<A>& a, const matrix_view<B>& b) noexcept {
    if (a.empty() || b.empty()) return false;
    const auto* a0 = reinterpret_cast<const unsigned char*>(a.data());
    const auto* a1 = reinterpret_cast<const unsigned char*>(a.row(a.rows() - 1) + a.cols());
    const auto* b0 = reinterpret_cast<const unsigned char*>(b.data());
    const auto* b1 = reinterpret_cast<const unsigned char*>(b.row(b.rows() - 1) + b.cols());
    return std::less<>{}(a0, b1) && std::less<>{}(b0, a1);
}

}  // namespace detail
}  // namespace vecta
