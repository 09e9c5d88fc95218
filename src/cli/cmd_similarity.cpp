// SPDX-License-Identifier: MIT
// vecta similarity: top-k rows of an index of float32 embeddings (.npy) for each query row
// (vecta::topk), as tab-separated lines `query rank index score`.
#include <cstdio>
#include <memory>
#include <string>
#include <vecta/core/error.hpp>
#include <vecta/similarity/topk.hpp>

#include "batch.hpp"
#include "commands.hpp"
#include "npy.hpp"

namespace vecta::cli {

std::function<int()> add_similarity(CLI::App* app) {
    struct options {
        std::string index, queries, output = "-", metric = "cosine";
        std::size_t k = 10;
        bool overwrite = false, quiet = false;
    };
    auto o = std::make_shared<options>();
    app->footer(
        "INDEX and QUERIES are .npy files (float32, shape (rows, dim) or (dim,)) or - for stdin.\n"
        "Without QUERIES every index row is a query. Output: a header line, then one line per result:\n"
        "query<TAB>rank<TAB>index<TAB>score (rows from 0, rank 0 best; score = the metric's value).");
    app->add_option("INDEX", o->index, "the index: a .npy float32 matrix, or - for stdin")->required();
    app->add_option("QUERIES", o->queries, "query vectors: a .npy float32 matrix of the same dimension");
    app->add_option("-k,--k", o->k, "results per query (at most the index rows)")->check(CLI::Range(1, 1000000));
    choices(app->add_option("--metric", o->metric,
                            "cosine or dot (highest first); euclidean, sqeuclidean or manhattan (lowest first)"),
            {"cosine", "dot", "euclidean", "sqeuclidean", "manhattan"});
    app->add_option("-o,--output", o->output, "output file, or - for stdout");
    app->add_flag("--overwrite", o->overwrite, "replace an existing output file");
    auto run = [o]() -> int {
        try {
            if (o->index == "-" && o->queries == "-") throw vecta::io_error("only one of INDEX and QUERIES can be -");
            auto load = [](const std::string& path) {
                return parse_npy(read_input(path == "-" ? std::filesystem::path() : std::filesystem::path(path), path),
                                 path);
            };
            const npy_matrix index = load(o->index);
            const npy_matrix queries = o->queries.empty() ? npy_matrix{} : load(o->queries);
            const npy_matrix& q = o->queries.empty() ? index : queries;
            if (q.cols != index.cols)
                throw vecta::io_error("'" + o->queries + "' has dimension " + std::to_string(q.cols) + ", the index " +
                                      std::to_string(index.cols));
            metric m = metric::cosine;
            for (metric c : {metric::dot, metric::cosine, metric::sqeuclidean, metric::euclidean, metric::manhattan})
                if (to_string(c) == o->metric) m = c;
            const auto hits =
                topk(par, matrix_view<const float>(q.data.data(), q.rows, q.cols),
                     matrix_view<const float>(index.data.data(), index.rows, index.cols), {.k = o->k, .metric = m});
            std::string text = "query\trank\tindex\tscore\n";
            char line[96];
            for (std::size_t i = 0; i < hits.queries; ++i)
                for (std::size_t r = 0; r < hits.k; ++r) {
                    std::snprintf(line, sizeof line, "%zu\t%zu\t%zu\t%.9g\n", i, r, hits.row_indices(i)[r],
                                  double(hits.row_scores(i)[r]));
                    text += line;
                }
            if (o->output == "-")
                write_stdout(text);
            else
                write_output(o->output, text, o->overwrite);
            return 0;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "vecta similarity: %s\n", e.what());
            return 1;
        }
    };
    return run;
}

}  // namespace vecta::cli
