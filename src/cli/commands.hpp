// SPDX-License-Identifier: MIT
// The vecta command's subcommands: each add_* defines its options on its subcommand of the
// top-level app (so --help, --version and `vecta completion` all read the same definitions).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace vecta::cli {

/// Each add_* defines the options of subcommand `app` and returns what runs when it was chosen
/// (its exit status).
std::function<int()> add_vectorize(CLI::App* app);
std::function<int()> add_quantize(CLI::App* app);
std::function<int()> add_edges(CLI::App* app);
std::function<int()> add_dedup(CLI::App* app);
std::function<int()> add_similarity(CLI::App* app);
std::function<int()> add_hash(CLI::App* app);

}  // namespace vecta::cli

namespace vecta::cli {
/// Restricts `opt` to `values` (CLI11 IsMember) and records them for `vecta completion`.
CLI::Option* choices(CLI::Option* opt, std::vector<std::string> values);
}  // namespace vecta::cli
