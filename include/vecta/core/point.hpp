// SPDX-License-Identifier: MIT
// vecta/core/point.hpp - point_traits: how vecta reads x and y of any point type.
//
// Works out of the box for: types with members x, y (cv::Point2f, plain structs); types with
// methods x(), y() (Eigen::Vector2f); std::array<T, 2> and std::array<T, 3>; std::pair.
// Other types specialise vecta::point_traits<P> with `using value_type`, `static value_type
// x(const P&)`, `static value_type y(const P&)`.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace vecta {

/// A plain 2-D point; the point type vecta returns when it creates points.
template <class T>
struct point2 {
    T x{}, y{};
    friend constexpr bool operator==(const point2&, const point2&) = default;
};
using point2f = point2<float>;
using point2d = point2<double>;

template <class P, class = void>
struct point_traits {};

// Members x, y.
template <class P>
struct point_traits<P, std::enable_if_t<std::is_arithmetic_v<decltype(std::declval<const P&>().x)> &&
                                        std::is_arithmetic_v<decltype(std::declval<const P&>().y)>>> {
    using value_type = std::remove_cvref_t<decltype(std::declval<const P&>().x)>;
    static constexpr value_type x(const P& p) noexcept { return p.x; }
    static constexpr value_type y(const P& p) noexcept { return p.y; }
};

// Methods x(), y() (Eigen fixed-size vectors).
template <class P>
struct point_traits<
    P, std::enable_if_t<std::is_arithmetic_v<std::remove_cvref_t<decltype(std::declval<const P&>().x())>> &&
                        std::is_arithmetic_v<std::remove_cvref_t<decltype(std::declval<const P&>().y())>>>> {
    using value_type = std::remove_cvref_t<decltype(std::declval<const P&>().x())>;
    static constexpr value_type x(const P& p) noexcept { return p.x(); }
    static constexpr value_type y(const P& p) noexcept { return p.y(); }
};

template <class T, std::size_t N>
requires(N == 2 || N == 3) struct point_traits<std::array<T, N>> {
    using value_type = T;
    static constexpr T x(const std::array<T, N>& p) noexcept { return p[0]; }
    static constexpr T y(const std::array<T, N>& p) noexcept { return p[1]; }
};

template <class T>
struct point_traits<std::pair<T, T>> {
    using value_type = T;
    static constexpr T x(const std::pair<T, T>& p) noexcept { return p.first; }
    static constexpr T y(const std::pair<T, T>& p) noexcept { return p.second; }
};

/// A type whose x and y vecta can read through point_traits.
template <class P>
concept point_like = requires(const P& p) {
    typename point_traits<P>::value_type;
    {point_traits<P>::x(p)};
    {point_traits<P>::y(p)};
};

/// x of any point_like value, as double.
template <point_like P>
constexpr double get_x(const P& p) noexcept {
    return static_cast<double>(point_traits<P>::x(p));
}
/// y of any point_like value, as double.
template <point_like P>
constexpr double get_y(const P& p) noexcept {
    return static_cast<double>(point_traits<P>::y(p));
}

}  // namespace vecta
