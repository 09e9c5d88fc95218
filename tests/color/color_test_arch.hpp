// SPDX-License-Identifier: MIT
// Colour tests run their SIMD == scalar checks on every architecture: see tests/test_arch.hpp.
#pragma once

#include "test_arch.hpp"

namespace color_test {
using vecta::test::for_each_arch;
}  // namespace color_test
