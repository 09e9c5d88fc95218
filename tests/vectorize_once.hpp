// SPDX-License-Identifier: MIT
// vecta/vectorize.hpp for the tests, with the whole pipeline instantiated once per build: the
// explicit instantiation declarations below keep each test translation unit from instantiating
// vectorize (and the budget search it delegates to) under seq and par again; tests/vectorize_once.cpp,
// in the vecta_test_once library the areas that trace link (tests/CMakeLists.txt), holds the
// definitions, compiled with the same (sanitizer) flags. Sanitized, each instantiation cost
// 75-100 CPU-s in every test translation unit that traced an image.
#pragma once

#include <vecta/vectorize.hpp>

namespace vecta {
extern template vectorize_result vectorize_budget<sequenced_policy>(const sequenced_policy&,
                                                                    image_view<const std::uint8_t>,
                                                                    const vectorize_params&);
extern template vectorize_result vectorize_budget<parallel_policy>(const parallel_policy&,
                                                                   image_view<const std::uint8_t>,
                                                                   const vectorize_params&);
namespace detail {
extern template vectorize_result vectorize_image<sequenced_policy>(const sequenced_policy&,
                                                                   image_view<const std::uint8_t>,
                                                                   const vectorize_params&, image<std::uint8_t>*);
extern template vectorize_result vectorize_image<parallel_policy>(const parallel_policy&,
                                                                  image_view<const std::uint8_t>,
                                                                  const vectorize_params&, image<std::uint8_t>*);
}  // namespace detail
}  // namespace vecta
