// SPDX-License-Identifier: MIT
// The one instantiation of vecta::vectorize under seq and par that the tests link (see
// vectorize_once.hpp).
#include "vectorize_once.hpp"

namespace vecta {
template vectorize_result vectorize_budget<sequenced_policy>(const sequenced_policy&, image_view<const std::uint8_t>,
                                                             const vectorize_params&);
template vectorize_result vectorize_budget<parallel_policy>(const parallel_policy&, image_view<const std::uint8_t>,
                                                            const vectorize_params&);
namespace detail {
template vectorize_result vectorize_image<sequenced_policy>(const sequenced_policy&, image_view<const std::uint8_t>,
                                                            const vectorize_params&, image<std::uint8_t>*);
template vectorize_result vectorize_image<parallel_policy>(const parallel_policy&, image_view<const std::uint8_t>,
                                                           const vectorize_params&, image<std::uint8_t>*);
}  // namespace detail
}  // namespace vecta
