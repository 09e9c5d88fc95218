// SPDX-License-Identifier: MIT
// vecta/similarity/float16.hpp - float16 (IEEE 754 binary16) and bfloat16 storage types, the
// half-precision inputs of vecta::normalize.
//
// xsimd 8.1 has no 16-bit floating-point batch type, so the conversions are scalar bit
// manipulations (exact: every binary16 and bfloat16 value is a float); kernels convert a row to
// float and then run their float SIMD path.
#pragma once

#include <bit>
#include <cstdint>
#include <type_traits>

namespace vecta {

/// IEEE 754 binary16 value stored as its 16 bits.
struct float16 {
    std::uint16_t bits = 0;

    /// Round to nearest even; overflow gives infinity; NaN stays NaN (quiet).
    static constexpr float16 from_float(float f) noexcept {
        const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
        const auto sign = static_cast<std::uint16_t>((x >> 16) & 0x8000u);
        const std::uint32_t ax = x & 0x7fffffffu;
        if (ax > 0x7f800000u) return {static_cast<std::uint16_t>(sign | 0x7e00u)};   // NaN
        if (ax >= 0x477ff000u) return {static_cast<std::uint16_t>(sign | 0x7c00u)};  // rounds to inf
        if (ax < 0x38800000u) {  // subnormal half or zero: value / 2^-24, rounded to nearest even
            const float mag = std::bit_cast<float>(ax) * 16777216.0f;  // exact scaling by 2^24
            auto q = static_cast<std::uint32_t>(mag);
            const float rem = mag - static_cast<float>(q);
            if (rem > 0.5f || (rem == 0.5f && (q & 1u))) ++q;
            return {static_cast<std::uint16_t>(sign | q)};
        }
        // normal: rebias exponent 127 -> 15 and round the 13 dropped mantissa bits to nearest even
        const std::uint32_t r = ax - 0x38000000u;
        const std::uint32_t lsb = (r >> 13) & 1u;
        return {static_cast<std::uint16_t>(sign | ((r + 0xfffu + lsb) >> 13))};
    }

    constexpr float to_float() const noexcept {
        const std::uint32_t sign = std::uint32_t(bits & 0x8000u) << 16;
        const std::uint32_t exp = (bits >> 10) & 0x1fu, man = bits & 0x3ffu;
        if (exp == 0) {  // zero or subnormal: man * 2^-24 (exact)
            const float v = static_cast<float>(man) * 5.9604644775390625e-8f;
            return sign ? -v : v;
        }
        if (exp == 31) return std::bit_cast<float>(sign | 0x7f800000u | (man << 13));
        return std::bit_cast<float>(sign | ((exp + 112u) << 23) | (man << 13));
    }
};

/// bfloat16 (the upper 16 bits of a float) stored as its bits.
struct bfloat16 {
    std::uint16_t bits = 0;

    /// Round to nearest even; NaN stays NaN (quiet).
    static constexpr bfloat16 from_float(float f) noexcept {
        const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
        if ((x & 0x7fffffffu) > 0x7f800000u) return {static_cast<std::uint16_t>((x >> 16) | 0x40u)};
        return {static_cast<std::uint16_t>((x + 0x7fffu + ((x >> 16) & 1u)) >> 16)};
    }

    constexpr float to_float() const noexcept { return std::bit_cast<float>(std::uint32_t(bits) << 16); }
};

namespace detail {
template <class T>
inline constexpr bool is_half_v = std::is_same_v<T, float16> || std::is_same_v<T, bfloat16>;
}  // namespace detail

}  // namespace vecta
