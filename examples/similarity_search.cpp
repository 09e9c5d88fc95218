// SPDX-License-Identifier: MIT
// similarity_search: builds a random index of vectors and queries its top-k.
//   similarity_search
// The database is 100000 random vectors of dimension 768 (a row-major float matrix, seed 1).
// The queries are 5 database rows picked with the seed and perturbed by small noise, so each
// query's best hit is normally the row it came from. The database lives in an Eigen matrix; vecta
// reads it in place through a matrix_view over the Eigen storage (no copy), and the first query's
// scores are checked against Eigen's own product. `vecta similarity` (docs/cli.md) searches
// .npy files with options.
#include <Eigen/Core>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <random>
#include <stdexcept>
#include <string>
#include <vecta/core/execution.hpp>
#include <vecta/similarity/normalize.hpp>
#include <vecta/similarity/topk.hpp>
#include <vector>

namespace {
using row_matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// A read-only vecta view of a row-major Eigen matrix (no copy).
vecta::matrix_view<const float> view_of(const row_matrix& m) {
    return {m.data(), std::size_t(m.rows()), std::size_t(m.cols()), std::size_t(m.outerStride())};
}
}  // namespace

int main(int argc, char** argv) {
    try {
        (void)argv;
        if (argc != 1) throw std::invalid_argument("takes no arguments");
        constexpr std::size_t rows = 100000, dim = 768, nq = 5, k = 10;
        constexpr std::uint64_t seed = 1;
        constexpr vecta::metric metric = vecta::metric::cosine;
        std::mt19937_64 rng(seed);
        std::normal_distribution<float> g;
        row_matrix db(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(dim));
        for (Eigen::Index t = 0; t < db.size(); ++t) db.data()[t] = g(rng);
        // Queries: rows of the index plus noise of 1% of the row's scale.
        row_matrix queries(Eigen::Index(nq), db.cols());
        std::vector<std::size_t> source(nq);
        std::uniform_int_distribution<std::size_t> pick(0, std::size_t(db.rows()) - 1);
        std::normal_distribution<float> noise(0.0f, 0.01f);
        for (std::size_t i = 0; i < nq; ++i) {
            source[i] = pick(rng);
            const float scale = db.row(Eigen::Index(source[i])).cwiseAbs().maxCoeff();
            for (Eigen::Index j = 0; j < db.cols(); ++j)
                queries(Eigen::Index(i), j) = db(Eigen::Index(source[i]), j) + scale * noise(rng);
        }

        const auto t0 = std::chrono::steady_clock::now();
        const auto hits = vecta::topk(vecta::par, view_of(queries), view_of(db), {.k = k, .metric = metric});
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

        std::printf("index %zu x %zu, %zu queries, top-%zu by %s: %.1f ms\n", std::size_t(db.rows()),
                    std::size_t(db.cols()), nq, hits.k, std::string(vecta::to_string(metric)).c_str(), ms);
        std::size_t found = 0;
        for (std::size_t i = 0; i < nq; ++i) {
            std::printf("query %zu (from row %zu):", i, source[i]);
            for (std::size_t r = 0; r < hits.k; ++r)
                std::printf(" %zu:%.4f", hits.row_indices(i)[r], double(hits.row_scores(i)[r]));
            std::printf("\n");
            found += hits.row_indices(i)[0] == source[i];
        }
        std::printf("best hit is the source row for %zu of %zu queries\n", found, nq);

        // Interop check: the first query's best dot / cosine score from Eigen's own product.
        {
            row_matrix qn = queries.topRows(1), dbn = db;
            if (metric == vecta::metric::cosine) {  // normalize the Eigen storage in place with vecta
                vecta::normalize(vecta::par, vecta::matrix_view<float>(qn.data(), 1, std::size_t(qn.cols())));
                vecta::normalize(vecta::par, vecta::matrix_view<float>(dbn.data(), std::size_t(dbn.rows()),
                                                                       std::size_t(dbn.cols())));
            }
            const Eigen::RowVectorXf scores = qn * dbn.transpose();
            Eigen::Index best = 0;
            scores.maxCoeff(&best);
            std::printf("Eigen's product agrees on query 0: best row %ld, score %.4f\n", long(best),
                        double(scores(best)));
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "similarity_search: %s\n", e.what());
        return 1;
    }
}
