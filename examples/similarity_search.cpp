// SPDX-License-Identifier: MIT
// similarity_search: builds an index of vectors (from a file or a random seed) and queries its top-k.
//   similarity_search [--file PATH] [--rows N] [--dim D] [--queries Q] [--k K] [--metric M] [--seed S]
// The database is a row-major float matrix: a text file with one vector per line (numbers
// separated by spaces, commas or tabs), or N random vectors of dimension D drawn with --seed.
// The queries are Q database rows picked with the seed and perturbed by small noise, so each
// query's best hit is normally the row it came from. The database lives in an Eigen matrix; vecta
// reads it in place through a matrix_view over the Eigen storage (no copy), and the first query's
// scores are checked against Eigen's own product.
#include <Eigen/Core>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vecta/core/execution.hpp>
#include <vecta/similarity/normalize.hpp>
#include <vecta/similarity/topk.hpp>
#include <vector>

namespace {
constexpr const char* usage =
    "usage: similarity_search [--file PATH] [--rows N] [--dim D] [--queries Q] [--k K] [--metric M] [--seed S]\n"
    "  Builds an index of vectors and prints, for each query, its k best rows and their scores.\n"
    "  --file PATH   text file, one vector per line (numbers separated by spaces, commas or tabs);\n"
    "                without it the index is N random vectors of dimension D\n"
    "  --rows N      random index rows, 1..10000000 (default 100000)\n"
    "  --dim D       random index dimension, 1..65536 (default 768)\n"
    "  --queries Q   queries: index rows picked with the seed plus noise, 1..100000 (default 5)\n"
    "  --k K         results per query, 1..10000 (default 10)\n"
    "  --metric M    cosine, dot, euclidean, sqeuclidean or manhattan (default cosine)\n"
    "  --seed S      seed of the random index and of the queries (default 1)\n";

using row_matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

unsigned long long parse_count(std::string_view flag, const char* text, unsigned long long lo, unsigned long long hi) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || v < lo || v > hi)
        throw std::invalid_argument(std::string(flag) + " expects an integer in [" + std::to_string(lo) + ", " +
                                    std::to_string(hi) + "], got '" + text + "'");
    return v;
}

vecta::metric parse_metric(std::string_view s) {
    if (s == "cosine") return vecta::metric::cosine;
    if (s == "dot") return vecta::metric::dot;
    if (s == "euclidean") return vecta::metric::euclidean;
    if (s == "sqeuclidean") return vecta::metric::sqeuclidean;
    if (s == "manhattan") return vecta::metric::manhattan;
    throw std::invalid_argument("--metric expects cosine, dot, euclidean, sqeuclidean or manhattan, got '" +
                                std::string(s) + "'");
}

/// One vector per non-empty line; every line must have the same number of values.
row_matrix read_vectors(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open '" + path + "'");
    std::vector<float> values;
    std::size_t dim = 0, rows = 0, line_no = 0;
    std::string line;
    while (std::getline(in, line)) {
        ++line_no;
        for (char& c : line)
            if (c == ',' || c == '\t' || c == ';') c = ' ';
        std::istringstream ss(line);
        std::size_t n = 0;
        float v;
        while (ss >> v) values.push_back(v), ++n;
        if (!ss.eof()) throw std::runtime_error(path + ":" + std::to_string(line_no) + ": not a number");
        if (n == 0) continue;
        if (dim == 0) dim = n;
        if (n != dim)
            throw std::runtime_error(path + ":" + std::to_string(line_no) + ": " + std::to_string(n) +
                                     " values, expected " + std::to_string(dim));
        ++rows;
    }
    if (rows == 0) throw std::runtime_error("'" + path + "' holds no vectors");
    return Eigen::Map<row_matrix>(values.data(), Eigen::Index(rows), Eigen::Index(dim));
}

/// A read-only vecta view of a row-major Eigen matrix (no copy).
vecta::matrix_view<const float> view_of(const row_matrix& m) {
    return {m.data(), std::size_t(m.rows()), std::size_t(m.cols()), std::size_t(m.outerStride())};
}
}  // namespace

int main(int argc, char** argv) {
    try {
        std::string file;
        std::size_t rows = 100000, dim = 768, nq = 5, k = 10;
        std::uint64_t seed = 1;
        vecta::metric metric = vecta::metric::cosine;
        for (int i = 1; i < argc; ++i) {
            const std::string_view a = argv[i];
            if (a == "--help" || a == "-h") {
                std::fputs(usage, stdout);
                return 0;
            }
            if (i + 1 >= argc) throw std::invalid_argument(std::string(a) + " needs a value (see --help)");
            const char* v = argv[++i];
            if (a == "--file")
                file = v;
            else if (a == "--rows")
                rows = parse_count(a, v, 1, 10'000'000);
            else if (a == "--dim")
                dim = parse_count(a, v, 1, 65536);
            else if (a == "--queries")
                nq = parse_count(a, v, 1, 100'000);
            else if (a == "--k")
                k = parse_count(a, v, 1, 10'000);
            else if (a == "--metric")
                metric = parse_metric(v);
            else if (a == "--seed")
                seed = parse_count(a, v, 0, ~0ull);
            else
                throw std::invalid_argument("unknown option '" + std::string(a) + "' (see --help)");
        }

        std::mt19937_64 rng(seed);
        row_matrix db;
        if (!file.empty()) {
            db = read_vectors(file);
        } else {
            std::normal_distribution<float> g;
            db.resize(Eigen::Index(rows), Eigen::Index(dim));
            for (Eigen::Index t = 0; t < db.size(); ++t) db.data()[t] = g(rng);
        }
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
        if (metric == vecta::metric::dot || metric == vecta::metric::cosine) {
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
