// SPDX-License-Identifier: MIT
// W5 of BENCHMARKS.md: L2 normalization, dot / cosine matrices, Euclidean / Manhattan distance
// matrices and batched cosine top-10, against OpenBLAS cblas_sgemm, Eigen's product and FAISS
// IndexFlatIP in the same run. Names W5/<op>/<impl>/<shape>; rates as counters (GFLOP/s for
// matrices and top-k, GB/s for normalize and memcpy, counting bytes read + written).
// Peers get 2 threads: openblas_set_num_threads(2), omp_set_num_threads(2).
// The large shapes (1000 x 100000 x 768: 154 GFLOP, 400 MB output) run few iterations; use
// --benchmark_repetitions=3 --benchmark_report_aggregates_only=true.
#include <benchmark/benchmark.h>
#include <immintrin.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vecta/core/execution.hpp>
#include <vecta/similarity/matrix.hpp>
#include <vecta/similarity/normalize.hpp>
#include <vecta/similarity/topk.hpp>
#include <vector>

#if VECTA_BENCH_HAVE_OPENBLAS
#include <cblas.h>
#endif
#if VECTA_BENCH_HAVE_FAISS
#include <faiss/IndexFlat.h>
#include <omp.h>
#endif

namespace {

constexpr std::size_t big_q = 1000, big_n = 100000, dim768 = 768;

/// Deterministic pseudo-random floats in [-1, 1) (splitmix64), filled on both threads.
std::vector<float> random_floats(std::size_t n, std::uint64_t seed) {
    std::vector<float> v(n);
    vecta::detail::parallel_for(vecta::par, n, 1 << 20, [&](std::size_t a, std::size_t b) {
        for (std::size_t i = a; i < b; ++i) {
            std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (i + 1);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            z ^= z >> 31;
            v[i] = float(double(z >> 40) / double(1ull << 23) - 1.0);
        }
    });
    return v;
}

struct dataset {
    std::size_t q, n, d;
    std::vector<float> queries, db, qn, dbn;  // raw and L2-normalized
};

/// The W5 data of a shape, made once per shape.
const dataset& data(std::size_t q, std::size_t n, std::size_t d) {
    static std::vector<std::unique_ptr<dataset>> cache;
    for (auto& c : cache)
        if (c->q == q && c->n == n && c->d == d) return *c;
    auto s = std::make_unique<dataset>();
    s->q = q, s->n = n, s->d = d;
    s->queries = random_floats(q * d, 1 + d);
    s->db = random_floats(n * d, 2 + d);
    s->qn = s->queries;
    s->dbn = s->db;
    vecta::normalize(vecta::par, vecta::matrix_view<float>(s->qn.data(), q, d));
    vecta::normalize(vecta::par, vecta::matrix_view<float>(s->dbn.data(), n, d));
    cache.push_back(std::move(s));
    return *cache.back();
}

std::string shape(std::size_t q, std::size_t n, std::size_t d) {
    return std::to_string(q) + "x" + std::to_string(n) + "x" + std::to_string(d);
}

void set_gflops(benchmark::State& state, double flops) {
    state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

void use_two_threads() {
#if VECTA_BENCH_HAVE_OPENBLAS
    openblas_set_num_threads(2);
#endif
#if VECTA_BENCH_HAVE_FAISS
    omp_set_num_threads(2);
#endif
}

/// One thread for the peers: with CPU time (reg_cpu) these runs compare single-core work, which
/// holds on a loaded machine where wall-clock ratios of 2-thread runs do not.
void use_one_thread() {
#if VECTA_BENCH_HAVE_OPENBLAS
    openblas_set_num_threads(1);
#endif
#if VECTA_BENCH_HAVE_FAISS
    omp_set_num_threads(1);
#endif
}

// ---- dot / cosine matrices ----------------------------------------------------------------

void dot_vecta(benchmark::State& state, std::size_t q, std::size_t n, std::size_t d, vecta::metric m,
               vecta::gemm_path path) {
    const auto& s = data(q, n, d);
    std::vector<float> out(q * n);
    for (auto _ : state) {
        vecta::similarity_matrix(vecta::par, vecta::matrix_view<const float>(s.queries.data(), q, d),
                                 vecta::matrix_view<const float>(s.db.data(), n, d),
                                 vecta::matrix_view<float>(out.data(), q, n), {.metric = m, .path = path});
        benchmark::DoNotOptimize(out.data());
    }
    set_gflops(state, 2.0 * double(q) * double(n) * double(d));
}

#if VECTA_BENCH_HAVE_OPENBLAS
void dot_openblas(benchmark::State& state, std::size_t q, std::size_t n, std::size_t d, bool cosine) {
    use_two_threads();
    const auto& s = data(q, n, d);
    std::vector<float> out(q * n), qn, dn;
    if (cosine) qn.resize(q * d), dn.resize(n * d);
    for (auto _ : state) {
        const float* a = s.queries.data();
        const float* b = s.db.data();
        if (cosine) {  // normalized copies (vecta::normalize, 2 threads), then sgemm
            vecta::normalize(vecta::par, vecta::matrix_view<const float>(a, q, d),
                             vecta::matrix_view<float>(qn.data(), q, d));
            vecta::normalize(vecta::par, vecta::matrix_view<const float>(b, n, d),
                             vecta::matrix_view<float>(dn.data(), n, d));
            a = qn.data(), b = dn.data();
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(q), int(n), int(d), 1.0f, a, int(d), b, int(d), 0.0f,
                    out.data(), int(n));
        benchmark::DoNotOptimize(out.data());
    }
    set_gflops(state, 2.0 * double(q) * double(n) * double(d));
}
#endif

void dot_eigen(benchmark::State& state, std::size_t q, std::size_t n, std::size_t d) {
    using mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const auto& s = data(q, n, d);
    mat out(q, n);
    Eigen::Map<const mat> qm(s.queries.data(), Eigen::Index(q), Eigen::Index(d)),
        dm(s.db.data(), Eigen::Index(n), Eigen::Index(d));
    for (auto _ : state) {
        out.noalias() = qm * dm.transpose();  // one call, as a user writes it (1 thread without OpenMP)
        benchmark::DoNotOptimize(out.data());
    }
    set_gflops(state, 2.0 * double(q) * double(n) * double(d));
}

// ---- distance matrices ----------------------------------------------------------------------

void dist_vecta(benchmark::State& state, std::size_t q, std::size_t n, std::size_t d, vecta::metric m, bool par) {
    const auto& s = data(q, n, d);
    std::vector<float> out(q * n);
    const vecta::matrix_view<const float> qv(s.queries.data(), q, d), dv(s.db.data(), n, d);
    for (auto _ : state) {
        if (par)
            vecta::similarity_matrix(vecta::par, qv, dv, vecta::matrix_view<float>(out.data(), q, n), {.metric = m});
        else
            vecta::similarity_matrix(vecta::seq, qv, dv, vecta::matrix_view<float>(out.data(), q, n), {.metric = m});
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["Gpairs/s"] =
        benchmark::Counter(double(q) * double(n) * double(d) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

/// The plain scalar double loop the issue compares against (one thread).
void dist_scalar(benchmark::State& state, std::size_t q, std::size_t n, std::size_t d, vecta::metric m) {
    const auto& s = data(big_q, 10000, d);
    std::vector<float> out(q * n);
    for (auto _ : state) {
        for (std::size_t i = 0; i < q; ++i)
            for (std::size_t j = 0; j < n; ++j) {
                const float* a = s.queries.data() + i * d;
                const float* b = s.db.data() + j * d;
                double acc = 0;
                if (m == vecta::metric::manhattan)
                    for (std::size_t k = 0; k < d; ++k) acc += std::fabs(double(a[k]) - double(b[k]));
                else
                    for (std::size_t k = 0; k < d; ++k)
                        acc += (double(a[k]) - double(b[k])) * (double(a[k]) - double(b[k]));
                out[i * n + j] = float(m == vecta::metric::euclidean ? std::sqrt(acc) : acc);
            }
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["Gpairs/s"] =
        benchmark::Counter(double(q) * double(n) * double(d) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

// ---- top-k ----------------------------------------------------------------------------------

#if VECTA_BENCH_HAVE_FAISS
struct faiss_result {
    std::vector<float> scores;
    std::vector<faiss::Index::idx_t> labels;
};
const faiss_result& faiss_topk(std::size_t q, std::size_t n, std::size_t d, std::size_t k,
                               faiss::IndexFlatIP** idx_out = nullptr) {
    static std::unique_ptr<faiss::IndexFlatIP> index;
    static faiss_result res;
    static std::size_t key = 0;
    const auto& s = data(q, n, d);
    if (key != q * 1000003 + n * 101 + d) {
        use_two_threads();
        index = std::make_unique<faiss::IndexFlatIP>(faiss::Index::idx_t(d));
        index->add(faiss::Index::idx_t(n), s.dbn.data());
        res.scores.resize(q * k);
        res.labels.resize(q * k);
        index->search(faiss::Index::idx_t(q), s.qn.data(), faiss::Index::idx_t(k), res.scores.data(),
                      res.labels.data());
        key = q * 1000003 + n * 101 + d;
    }
    if (idx_out) *idx_out = index.get();
    return res;
}

void topk_faiss(benchmark::State& state, std::size_t q, std::size_t n, std::size_t d, std::size_t k) {
    faiss::IndexFlatIP* index = nullptr;
    faiss_topk(q, n, d, k, &index);
    use_two_threads();
    const auto& s = data(q, n, d);
    std::vector<float> scores(q * k);
    std::vector<faiss::Index::idx_t> labels(q * k);
    for (auto _ : state) {
        index->search(faiss::Index::idx_t(q), s.qn.data(), faiss::Index::idx_t(k), scores.data(), labels.data());
        benchmark::DoNotOptimize(labels.data());
    }
    set_gflops(state, 2.0 * double(q) * double(n) * double(d));
}
#endif

void topk_vecta(benchmark::State& state, std::size_t q, std::size_t n, std::size_t d, std::size_t k, bool par = true) {
    const auto& s = data(q, n, d);
    const vecta::matrix_view<const float> qv(s.qn.data(), q, d), dv(s.dbn.data(), n, d);
    vecta::topk_result<float> r;
    for (auto _ : state) {
        r = par ? vecta::topk(vecta::par, qv, dv, {.k = k, .metric = vecta::metric::cosine})
                : vecta::topk(vecta::seq, qv, dv, {.k = k, .metric = vecta::metric::cosine});
        benchmark::DoNotOptimize(r.indices.data());
    }
    set_gflops(state, 2.0 * double(q) * double(n) * double(d));
    if (!par) return;
#if VECTA_BENCH_HAVE_FAISS
    // Same results as FAISS: indices equal, scores within 1e-5.
    const auto& f = faiss_topk(q, n, d, k);
    double idx_mismatch = 0, max_score_diff = 0;
    for (std::size_t t = 0; t < q * k; ++t) {
        idx_mismatch += r.indices[t] != std::size_t(f.labels[t]);
        max_score_diff = std::max(max_score_diff, double(std::fabs(r.scores[t] - f.scores[t])));
    }
    state.counters["idx_mismatch"] = idx_mismatch;
    state.counters["max_score_diff"] = max_score_diff;
#endif
}

// ---- normalize vs memcpy ----------------------------------------------------------------------

float* big_matrix(std::size_t rows, std::size_t d) {
    static std::unique_ptr<float[]> buf;
    static std::size_t have = 0;
    if (have != rows * d) {
        buf.reset();
        buf.reset(new float[rows * d]);
        have = rows * d;
        float* p = buf.get();
        vecta::detail::parallel_for(vecta::par, rows, 4096, [&](std::size_t a, std::size_t b) {
            for (std::size_t i = a * d; i < b * d; ++i) p[i] = float(int(i % 97) - 48) * 0.03125f;
        });
    }
    return buf.get();
}

template <class Policy>
void normalize_vecta(benchmark::State& state, Policy policy, std::size_t rows, std::size_t d,
                     vecta::norm_kind norm = vecta::norm_kind::l2) {
    float* m = big_matrix(rows, d);
    for (auto _ : state) {
        vecta::normalize(policy, vecta::matrix_view<float>(m, rows, d), {.norm = norm});  // in place: read + write
        benchmark::ClobberMemory();
    }
    state.counters["GB/s"] = benchmark::Counter(2.0 * double(rows * d * sizeof(float)) * 1e-9,
                                                benchmark::Counter::kIsIterationInvariantRate);
}

/// The destination of memcpy and of the out-of-place normalize (same size as big_matrix).
char* second_buffer(std::size_t bytes) {
    static std::unique_ptr<char[]> buf;
    static std::size_t have = 0;
    if (have != bytes) {
        buf.reset();
        buf.reset(new char[bytes]);
        std::memset(buf.get(), 1, bytes);
        have = bytes;
    }
    return buf.get();
}

/// Out of place: read the input, write a second buffer (the memcpy traffic pattern).
void normalize_vecta_out(benchmark::State& state, std::size_t rows, std::size_t d) {
    float* m = big_matrix(rows, d);
    auto* dst = reinterpret_cast<float*>(second_buffer(rows * d * sizeof(float)));
    for (auto _ : state) {
        vecta::normalize(vecta::par, vecta::matrix_view<const float>(m, rows, d),
                         vecta::matrix_view<float>(dst, rows, d));
        benchmark::ClobberMemory();
    }
    state.counters["GB/s"] = benchmark::Counter(2.0 * double(rows * d * sizeof(float)) * 1e-9,
                                                benchmark::Counter::kIsIterationInvariantRate);
}

/// memcpy of the same bytes into a second buffer, on 1 or 2 threads (each a contiguous half).
void normalize_memcpy(benchmark::State& state, std::size_t rows, std::size_t d, bool two_threads) {
    float* src = big_matrix(rows, d);
    const std::size_t bytes = rows * d * sizeof(float);
    char* dst = second_buffer(bytes);
    for (auto _ : state) {
        if (two_threads) {
            const std::size_t half = bytes / 2;
            std::thread t([&] { std::memcpy(dst + half, reinterpret_cast<const char*>(src) + half, bytes - half); });
            std::memcpy(dst, src, half);
            t.join();
        } else {
            std::memcpy(dst, src, bytes);
        }
        benchmark::ClobberMemory();
    }
    state.counters["GB/s"] =
        benchmark::Counter(2.0 * double(bytes) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

// ---- arithmetic peak of one core (registers only) -------------------------------------------------

#if defined(__AVX512F__)
#define VECTA_R12(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)
/// 12 independent register chains of the metric's instruction mix, 16 float lanes each:
/// fma (dot: 1 FMA per 16 pairs), l2 (sub + FMA), l1 (sub + and + add), `iters` times.
float peak_loop(int mix, long iters) {
    __m512 a = _mm512_set1_ps(1.0f + float(mix) * 1e-7f), b = _mm512_set1_ps(0.999f);
    const __m512 mask = _mm512_castsi512_ps(_mm512_set1_epi32(0x7fffffff));
#define VECTA_DECL(i) __m512 c##i = _mm512_set1_ps(float(i)), b##i = _mm512_set1_ps(0.5f + float(i));
    VECTA_R12(VECTA_DECL)
#define VECTA_FMA(i) c##i = _mm512_fmadd_ps(a, b, c##i);
#define VECTA_L2(i)                              \
    {                                            \
        const __m512 t = _mm512_sub_ps(a, b##i); \
        c##i = _mm512_fmadd_ps(t, t, c##i);      \
    }
#define VECTA_L1(i)                                         \
    {                                                       \
        const __m512 t = _mm512_sub_ps(a, b##i);            \
        c##i = _mm512_add_ps(_mm512_and_ps(t, mask), c##i); \
    }
    for (long it = 0; it < iters; ++it) {
        if (mix == 0) {
            VECTA_R12(VECTA_FMA)
        } else if (mix == 1) {
            VECTA_R12(VECTA_L2)
        } else {
            VECTA_R12(VECTA_L1)
        }
        __asm__ volatile("" : "+v"(a));
    }
    float s = 0;
#define VECTA_SUM(i) s += _mm512_reduce_add_ps(c##i) + _mm512_reduce_add_ps(b##i);
    VECTA_R12(VECTA_SUM)
    return s;
}

/// The register peak of one core (CPU time) or of both cores at once (threads = 2, wall time).
void peak(benchmark::State& state, int mix, int threads) {
    const long iters = 20000000;
    float s = 0;
    for (auto _ : state) {
        if (threads == 2) {
            float s2 = 0;
            std::thread t([&] { s2 = peak_loop(mix, iters); });
            s += peak_loop(mix, iters);
            t.join();
            s += s2;
        } else {
            s += peak_loop(mix, iters);
        }
    }
    benchmark::DoNotOptimize(s);
    const double pairs = double(iters) * 12 * 16 * threads;
    if (mix == 0)
        state.counters["GFLOP/s"] = benchmark::Counter(2 * pairs * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
    else
        state.counters["Gpairs/s"] = benchmark::Counter(pairs * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
#endif

#if defined(__x86_64__)
/// Core clock: a chain of dependent 64-bit integer multiplies (3 cycles each on current Intel
/// and AMD cores; dependent adds of immediates are folded by recent Intel cores), CPU time.
void clock_ghz(benchmark::State& state) {
    const long iters = 50000000;
    long x = 1;
    for (auto _ : state) {
        for (long it = 0; it < iters; ++it)
            __asm__ volatile(
                "imul %0, %0\n\timul %0, %0\n\timul %0, %0\n\timul %0, %0\n\t"
                "imul %0, %0\n\timul %0, %0\n\timul %0, %0\n\timul %0, %0"
                : "+r"(x));
    }
    benchmark::DoNotOptimize(x);
    state.counters["GHz"] =
        benchmark::Counter(double(iters) * 8 * 3 * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
#endif

// ---- registration -------------------------------------------------------------------------------

/// One-thread benchmarks (the register peak) report rates per CPU second of the thread.
template <class F>
void reg_cpu(const std::string& name, F f, int iterations) {
    benchmark::RegisterBenchmark(name.c_str(), f)->Iterations(iterations)->Unit(benchmark::kMillisecond);
}

template <class F>
void reg(const std::string& name, F f, int iterations) {
    benchmark::RegisterBenchmark(name.c_str(), f)->Iterations(iterations)->UseRealTime()->Unit(benchmark::kMillisecond);
}

int register_all() {
    using vecta::metric;
    const std::string big = shape(big_q, big_n, dim768);
    // normalize_l2: 1M x 768 f32 (3.1 GB) in place, against memcpy of the same bytes.
    const std::size_t nrows = 1000000;
    const std::string nshape = std::to_string(nrows) + "x768";
    reg(
        "W5/normalize_l2/vecta/" + nshape, [=](benchmark::State& s) { normalize_vecta(s, vecta::par, nrows, 768); }, 3);
    reg(
        "W5/normalize_max/vecta-seq/" + nshape,
        [=](benchmark::State& s) { normalize_vecta(s, vecta::seq, nrows, 768, vecta::norm_kind::max); }, 2);
    reg(
        "W5/normalize_l2/vecta-seq/" + nshape, [=](benchmark::State& s) { normalize_vecta(s, vecta::seq, nrows, 768); },
        2);
    reg(
        "W5/normalize_l2/scalar/" + nshape,
        [=](benchmark::State& s) { normalize_vecta(s, vecta::par | vecta::simd::scalar, nrows, 768); }, 2);
    reg(
        "W5/normalize_l2/vecta-out/" + nshape, [=](benchmark::State& s) { normalize_vecta_out(s, nrows, 768); }, 3);
    reg(
        "W5/normalize_l2/memcpy/" + nshape, [=](benchmark::State& s) { normalize_memcpy(s, nrows, 768, true); }, 3);
    reg(
        "W5/normalize_l2/memcpy-1thread/" + nshape,
        [=](benchmark::State& s) { normalize_memcpy(s, nrows, 768, false); }, 3);
#if defined(__x86_64__)
    reg_cpu("W5/clock/imul/1core", clock_ghz, 1);
#endif
#if defined(__AVX512F__)
    for (int mix : {0, 1, 2}) {
        const std::string op = mix == 0 ? "dot" : mix == 1 ? "l2" : "l1";
        reg_cpu(
            "W5/" + op + "/peak/1core", [=](benchmark::State& s) { peak(s, mix, 1); }, 1);
        reg(
            "W5/" + op + "/peak/2threads", [=](benchmark::State& s) { peak(s, mix, 2); }, 1);
    }
#endif
    // dot and cosine: 1000 x 100000 x 768.
    reg(
        "W5/dot/vecta/" + big,
        [](benchmark::State& s) { dot_vecta(s, big_q, big_n, dim768, metric::dot, vecta::gemm_path::automatic); }, 2);
#if VECTA_BENCH_HAVE_OPENBLAS
    reg(
        "W5/dot/openblas/" + big, [](benchmark::State& s) { dot_openblas(s, big_q, big_n, dim768, false); }, 2);
#endif
    reg(
        "W5/dot/eigen/" + big, [](benchmark::State& s) { dot_eigen(s, big_q, big_n, dim768); }, 1);
    reg(
        "W5/dot/vecta-blocked/" + big,
        [](benchmark::State& s) { dot_vecta(s, big_q, big_n, dim768, metric::dot, vecta::gemm_path::blocked); }, 1);
    reg(
        "W5/cosine/vecta/" + big,
        [](benchmark::State& s) { dot_vecta(s, big_q, big_n, dim768, metric::cosine, vecta::gemm_path::automatic); },
        2);
#if VECTA_BENCH_HAVE_OPENBLAS
    reg(
        "W5/cosine/openblas/" + big, [](benchmark::State& s) { dot_openblas(s, big_q, big_n, dim768, true); }, 2);
#endif
    // Distance matrices on 10k: 1000 x 10000 x 768; the scalar double loop on 100 queries.
    const std::string dshape = shape(big_q, 10000, dim768);
    for (metric m : {metric::euclidean, metric::manhattan}) {
        const std::string op = m == metric::euclidean ? "l2" : "l1";
        reg(
            "W5/" + op + "/vecta/" + dshape, [=](benchmark::State& s) { dist_vecta(s, big_q, 10000, dim768, m, true); },
            2);
        reg(
            "W5/" + op + "/vecta-seq/" + dshape,
            [=](benchmark::State& s) { dist_vecta(s, big_q, 10000, dim768, m, false); }, 1);
        reg(
            "W5/" + op + "/scalar/" + shape(100, 10000, dim768),
            [=](benchmark::State& s) { dist_scalar(s, 100, 10000, dim768, m); }, 1);
    }
    // Cosine top-10, normalized inputs (FAISS IndexFlatIP on the same vectors).
    reg(
        "W5/topk_cosine/vecta/" + big + "/k10", [](benchmark::State& s) { topk_vecta(s, big_q, big_n, dim768, 10); },
        2);
#if VECTA_BENCH_HAVE_FAISS
    reg(
        "W5/topk_cosine/faiss/" + big + "/k10", [](benchmark::State& s) { topk_faiss(s, big_q, big_n, dim768, 10); },
        2);
#endif
    // One thread, CPU time: what top-k keeps of the matrix kernel's speed (1000 x 20000 x 768).
    reg_cpu(
        "W5/dot/vecta-seq/" + shape(big_q, 20000, dim768),
        [](benchmark::State& s) {
            const auto& d = data(big_q, 20000, dim768);
            std::vector<float> out(big_q * 20000);
            for (auto _ : s) {
                vecta::similarity_matrix(vecta::seq, vecta::matrix_view<const float>(d.qn.data(), big_q, dim768),
                                         vecta::matrix_view<const float>(d.dbn.data(), 20000, dim768),
                                         vecta::matrix_view<float>(out.data(), big_q, 20000));
                benchmark::DoNotOptimize(out.data());
            }
            set_gflops(s, 2.0 * double(big_q) * 20000.0 * double(dim768));
        },
        3);
    reg_cpu(
        "W5/topk_cosine/vecta-seq/" + shape(big_q, 20000, dim768) + "/k10",
        [](benchmark::State& s) { topk_vecta(s, big_q, 20000, dim768, 10, false); }, 3);
    // The peers on one thread, CPU time, same shape (issue 18: default build vs -march=native vs
    // the peers on a loaded machine).
#if VECTA_BENCH_HAVE_OPENBLAS
    reg_cpu(
        "W5/dot/openblas-1thread/" + shape(big_q, 20000, dim768),
        [](benchmark::State& s) {
            const auto& d = data(big_q, 20000, dim768);
            std::vector<float> out(big_q * 20000);
            use_one_thread();
            for (auto _ : s) {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(big_q), 20000, int(dim768), 1.0f, d.qn.data(),
                            int(dim768), d.dbn.data(), int(dim768), 0.0f, out.data(), 20000);
                benchmark::DoNotOptimize(out.data());
            }
            use_two_threads();
            set_gflops(s, 2.0 * double(big_q) * 20000.0 * double(dim768));
        },
        3);
#endif
#if VECTA_BENCH_HAVE_FAISS
    reg_cpu(
        "W5/topk_cosine/faiss-1thread/" + shape(big_q, 20000, dim768) + "/k10",
        [](benchmark::State& s) {
            faiss::IndexFlatIP* index = nullptr;
            faiss_topk(big_q, 20000, dim768, 10, &index);
            const auto& d = data(big_q, 20000, dim768);
            std::vector<float> scores(big_q * 10);
            std::vector<faiss::Index::idx_t> labels(big_q * 10);
            use_one_thread();
            for (auto _ : s) {
                index->search(faiss::Index::idx_t(big_q), d.qn.data(), 10, scores.data(), labels.data());
                benchmark::DoNotOptimize(labels.data());
            }
            use_two_threads();
            set_gflops(s, 2.0 * double(big_q) * 20000.0 * double(dim768));
        },
        3);
#endif
    // Throughput against dimension (the docs plot): 256 x 20000 x dim.
    for (std::size_t d : {16, 32, 64, 128, 256, 384, 512, 768, 1024, 1536}) {
        const std::string sh = shape(256, 20000, d);
        reg(
            "W5/dot/vecta/" + sh,
            [=](benchmark::State& s) { dot_vecta(s, 256, 20000, d, metric::dot, vecta::gemm_path::automatic); }, 3);
#if VECTA_BENCH_HAVE_OPENBLAS
        reg(
            "W5/dot/openblas/" + sh, [=](benchmark::State& s) { dot_openblas(s, 256, 20000, d, false); }, 3);
#endif
        reg(
            "W5/l2/vecta/" + sh, [=](benchmark::State& s) { dist_vecta(s, 256, 20000, d, metric::euclidean, true); },
            3);
        reg(
            "W5/l1/vecta/" + sh, [=](benchmark::State& s) { dist_vecta(s, 256, 20000, d, metric::manhattan, true); },
            3);
    }
    return 0;
}

const int registered = register_all();

}  // namespace
