// SPDX-License-Identifier: MIT
// vecta/core.hpp - everything in core/.
#pragma once
#include "core/config.hpp"
#include "core/error.hpp"
#include "core/execution.hpp"
#include "core/image.hpp"
#include "core/point.hpp"
#include "core/simd.hpp"
