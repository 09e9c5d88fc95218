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

TEST_CASE("reaches(l): a level this target can dispatch, at or below max_level(), under every cap") {
    const vs::level old = vs::max_level();
    const vs::level order[] = {vs::level::scalar, vs::level::sse2, vs::level::avx2, vs::level::avx512};
    for (vs::level cap : order) {
        const vs::level prev = vs::set_level_cap(cap);
        const vs::level top = vs::max_level();
        CAPTURE(vs::name(cap));
        CHECK(vs::reaches(vs::level::scalar));
        CHECK(vs::reaches(top));
        // Every level of the x86 ladder up to the running one is reached, none above it.
        bool at_or_below = true;
        for (vs::level l : order) {
            CAPTURE(vs::name(l));
            if (vs::dispatchable(l))
                CHECK(vs::reaches(l) == at_or_below);
            else
                CHECK_FALSE(vs::reaches(l));
            if (l == top) at_or_below = false;
        }
        // neon kernels never run on x86, nor x86 levels on AArch64.
        if (vs::compiled_level() != vs::level::neon) CHECK_FALSE(vs::reaches(vs::level::neon));
        vs::set_level_cap(prev);
    }
    CHECK(vs::max_level() == old);
}
