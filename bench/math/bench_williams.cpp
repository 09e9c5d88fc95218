// SPDX-License-Identifier: MIT
// W8: williams space_bound over 10M values of t, log-uniform in [2, 1e12]: vecta's batched form
// (SIMD, scalar policy, par), the checked scalar function called per value, and a plain
// std::sqrt * std::log2 loop. Counters: ns_per_value and max_rel_err against a long double
// reference. Named W8/<op>/<impl>, op space_bound or sqrt_t_log_t.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vecta/math/williams_bound.hpp>
#include <vector>

namespace {
constexpr std::size_t n = 10'000'000;

const std::vector<double>& inputs() {
    static const std::vector<double> t = [] {
        std::vector<double> v(n);
        std::uint64_t s = 12345;
        for (auto& x : v) {
            std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            z ^= z >> 31;
            const double u = double(z >> 11) * 0x1p-53;
            x = std::exp(std::log(2.0) + u * (std::log(1e12) - std::log(2.0)));
        }
        return v;
    }();
    return t;
}

double max_rel_err(const std::vector<double>& t, const std::vector<double>& out, bool sqrt_form) {
    double worst = 0;
    for (std::size_t i = 0; i < t.size(); i += 7) {  // every 7th value: the reference is slow
        const long double x = t[i];
        const long double r = sqrt_form ? sqrtl(x * log2l(x)) : sqrtl(x) * log2l(x);
        worst = std::max(worst, double(fabsl((long double)out[i] - r) / r));
    }
    return worst;
}

template <class Fn>
void run(benchmark::State& state, bool sqrt_form, Fn fn) {
    const auto& t = inputs();
    std::vector<double> out(n);
    for (auto _ : state) {
        fn(t, out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.counters["ns_per_value"] =
        benchmark::Counter(double(n), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
    state.counters["max_rel_err"] = max_rel_err(t, out, sqrt_form);
}

const bool registered = [] {
    namespace w = vecta::williams;
    using V = std::vector<double>;
    auto reg = [](const char* name, bool sqrt_form, auto fn) {
        benchmark::RegisterBenchmark(name, [=](benchmark::State& s) { run(s, sqrt_form, fn); })
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
    };
    reg("W8/space_bound/plain", false, [](const V& t, V& o) {
        for (std::size_t i = 0; i < t.size(); ++i) o[i] = std::sqrt(t[i]) * std::log2(t[i]);
    });
    reg("W8/space_bound/vecta_scalar_fn", false, [](const V& t, V& o) {
        for (std::size_t i = 0; i < t.size(); ++i) o[i] = w::space_bound(t[i]);
    });
    reg("W8/space_bound/vecta_batched_scalar", false,
        [](const V& t, V& o) { w::space_bound(vecta::seq | vecta::simd::scalar, t, o); });
    reg("W8/space_bound/vecta_batched", false, [](const V& t, V& o) { w::space_bound(vecta::seq, t, o); });
    reg("W8/space_bound/vecta_batched_par", false, [](const V& t, V& o) { w::space_bound(vecta::par, t, o); });
    reg("W8/sqrt_t_log_t/plain", true, [](const V& t, V& o) {
        for (std::size_t i = 0; i < t.size(); ++i) o[i] = std::sqrt(t[i] * std::log2(t[i]));
    });
    reg("W8/sqrt_t_log_t/vecta_batched", true, [](const V& t, V& o) { w::sqrt_t_log_t_bound(vecta::seq, t, o); });
    return true;
}();
}  // namespace
