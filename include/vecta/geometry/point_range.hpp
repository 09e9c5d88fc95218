// SPDX-License-Identifier: MIT
// vecta/geometry/point_range.hpp - internal: contiguous ranges of point_like values, shared by
// the geometry headers' range overloads. Nothing here is documented API.
#pragma once

#include <ranges>
#include <span>
#include <type_traits>

#include "../core/point.hpp"

namespace vecta::detail {

/// A contiguous, sized range whose elements are point_like (std::vector<P>, std::array<P, N>).
template <class R>
concept point_range = std::ranges::contiguous_range<R> && std::ranges::sized_range<R> &&
    point_like<std::remove_cv_t<std::ranges::range_value_t<R>>>;

template <class R>
using point_range_value = std::remove_cv_t<std::ranges::range_value_t<R>>;

template <class R>
std::span<const point_range_value<R>> as_point_span(const R& r) noexcept {
    return {std::ranges::data(r), std::ranges::size(r)};
}

}  // namespace vecta::detail
