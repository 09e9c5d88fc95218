// SPDX-License-Identifier: MIT
// Similarity tests run their SIMD == scalar checks on every architecture: see tests/test_arch.hpp.
#pragma once

#include "test_arch.hpp"

namespace sim_test {
using vecta::test::for_each_arch;
}  // namespace sim_test
