// SPDX-License-Identifier: MIT
// Compiled by metal_guard.cmake (not part of test_adapters): without VECTA_WITH_METAL the Metal
// adapter must be empty; with VECTA_WITH_METAL=1 off Apple it must stop with its #error.
#include <vecta/adapters/metal.hpp>

#if !defined(VECTA_WITH_METAL) || !VECTA_WITH_METAL
#ifdef VECTA_METAL_ADAPTER
#error "metal.hpp declared the adapter without VECTA_WITH_METAL"
#endif
#ifdef VECTA_VERSION_MAJOR
#error "metal.hpp included vecta headers without VECTA_WITH_METAL"
#endif
#endif

int main() { return 0; }
