// SPDX-License-Identifier: MIT
// core/cpu.hpp: the detected level against GCC's own CPU check, the cap (set_level_cap), and the
// levels the SIMD tags select.
#include <doctest/doctest.h>

#include <vecta/core/cpu.hpp>
#include <vecta/core/execution.hpp>
#include <vecta/core/simd.hpp>

namespace vs = vecta::simd;

TEST_CASE("cpu_level agrees with __builtin_cpu_supports and is at least the compiled level") {
    const vs::level l = vs::cpu_level();
    CHECK(vs::rank(l) >= vs::rank(vs::compiled_level()));
#if VECTA_X86_DISPATCH
    __builtin_cpu_init();
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                      __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") &&
                      __builtin_cpu_supports("popcnt");
    const bool avx512 = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
    CHECK(l == (avx512 ? vs::level::avx512 : avx2 ? vs::level::avx2 : vs::level::sse2));
#endif
    CHECK(vs::name(vs::level::avx2) == "avx2");
}

TEST_CASE("set_level_cap caps max_level and the tags; restoring gives the CPU's level back") {
    const vs::level before = vs::max_level();
    const vs::level old = vs::set_level_cap(vs::level::scalar);
    CHECK(vs::max_level() == vs::level::scalar);
    CHECK(vecta::detail::policy_level(vecta::seq) == vs::level::scalar);
    CHECK(vecta::detail::policy_level(vecta::seq | vs::fixed<vs::level::avx512>) == vs::level::scalar);
    if (vs::rank(vs::cpu_level()) >= 2) {
        vs::set_level_cap(vs::level::avx2);
        CHECK(vs::max_level() == vs::level::avx2);
        CHECK(vecta::detail::policy_level(vecta::par | vs::fixed<vs::level::avx512>) == vs::level::avx2);
        CHECK(vecta::detail::policy_level(vecta::par | vs::fixed<vs::level::sse2>) == vs::level::sse2);
    }
    CHECK(vecta::detail::policy_level(vecta::seq | vs::scalar) == vs::level::scalar);
    vs::set_level_cap(old);
    CHECK(vs::max_level() == before);
}

TEST_CASE("reaches(l) is max_level() >= l under every cap") {
    const vs::level old = vs::max_level();
    for (vs::level cap : {vs::level::scalar, vs::level::sse2, vs::level::avx2, vs::level::avx512}) {
        const vs::level prev = vs::set_level_cap(cap);
        for (vs::level l : {vs::level::avx2, vs::level::avx512}) {
            CAPTURE(vs::name(cap));
            CAPTURE(vs::name(l));
            CHECK(vs::reaches(l) == (vs::rank(vs::max_level()) >= vs::rank(l)));
        }
        vs::set_level_cap(prev);
    }
    CHECK(vs::max_level() == old);
}
