// SPDX-License-Identifier: MIT
// vecta/core/config.hpp - version and feature macros.
#pragma once

#define VECTA_VERSION_MAJOR 0
#define VECTA_VERSION_MINOR 1
#define VECTA_VERSION_PATCH 0

// VECTA_WITH_TBB: set by CMake when oneTBB is found (or by hand for the single header).
// When it is 0 or undefined, vecta::par runs on a std::thread fork-join.
#ifndef VECTA_WITH_TBB
#define VECTA_WITH_TBB 0
#endif
