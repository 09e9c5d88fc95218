// SPDX-License-Identifier: MIT
// fuzz/fuzz_support.hpp - helpers shared by the libFuzzer targets: bounded images with arbitrary
// strides built from the fuzz input, and the rule every target enforces on exceptions.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string_view>
#include <vecta/core/error.hpp>
#include <vecta/core/image.hpp>
#include <vector>

namespace vecta_fuzz {

/// Aborts (a crash libFuzzer reports and minimises) with a message.
[[noreturn]] inline void fail(const char* what) {
    std::fprintf(stderr, "vecta fuzz invariant broken: %s\n", what);
    std::abort();
}

inline void check(bool ok, const char* what) {
    if (!ok) fail(what);
}

/// A documented vecta exception must name the function ("vecta::...: ") and say something.
inline void check_message(const std::exception& e) {
    const std::string_view m = e.what();
    if (m.substr(0, 7) != "vecta::" || m.find(": ") == std::string_view::npos) {
        std::fprintf(stderr, "message: %s\n", e.what());
        fail("exception message does not name the function");
    }
}

/// An image of T with arbitrary shape and stride (delta -1..3 elements beyond the row; -1 makes
/// the view constructor throw, which is part of what is fuzzed), filled from the input bytes.
template <class T>
struct fuzz_image {
    std::vector<T> buf;
    vecta::image_view<T> view;
    bool ok = false;

    fuzz_image(FuzzedDataProvider& fdp, std::size_t max_side, std::size_t channels_min, std::size_t channels_max,
               T lo = 0, T hi = T(~T(0)), std::size_t w = SIZE_MAX, std::size_t h = SIZE_MAX,
               std::size_t c = SIZE_MAX) {
        if (w == SIZE_MAX) w = fdp.ConsumeIntegralInRange<std::size_t>(0, max_side);
        if (h == SIZE_MAX) h = fdp.ConsumeIntegralInRange<std::size_t>(0, max_side);
        if (c == SIZE_MAX) c = fdp.ConsumeIntegralInRange<std::size_t>(channels_min, channels_max);
        const int delta = fdp.ConsumeIntegralInRange<int>(-1, 3);
        const std::size_t row = w * c;
        std::size_t stride = row;
        if (delta < 0) {
            if (row <= 1) return;  // stride 0 means "packed", so row - 1 would be valid there
            stride = row - 1;      // too small: the constructor must refuse it
        } else {
            stride = row + std::size_t(delta);
        }
        buf.assign(stride * h + 1, T{});
        for (auto& v : buf) v = fdp.ConsumeIntegralInRange<T>(lo, hi);
        try {
            view = vecta::image_view<T>(buf.data(), w, h, c, stride);
            ok = true;
        } catch (const vecta::invalid_argument& e) {
            check_message(e);
            check(delta < 0, "image_view refused a valid stride");
            check(std::string_view(e.what()).find("stride") != std::string_view::npos,
                  "image_view stride error does not name the stride");
        }
        if (delta < 0) check(!ok, "image_view accepted a stride smaller than the row");
    }
};

}  // namespace vecta_fuzz
