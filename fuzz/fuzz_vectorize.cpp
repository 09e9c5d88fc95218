// SPDX-License-Identifier: MIT
// fuzz/fuzz_vectorize.cpp - vectorize on small random images (any stride, 1-4 channels) and
// random parameters, valid or not: either a well-formed document within the path and node caps,
// identical under seq and par, or a documented vecta::invalid_argument naming the parameter.
#include <vecta/vectorize.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vecta_fuzz;
    FuzzedDataProvider fdp(data, size);
    vecta::vectorize_params p;
    p.colors = fdp.ConsumeIntegralInRange<std::size_t>(0, 20);
    p.seed = fdp.ConsumeIntegral<std::uint8_t>();
    const double tolerances[] = {0.5, 0.01, 2.0, 0.0, -1.0, std::nan(""), INFINITY, 1e-9, 50.0};
    p.tolerance = fdp.PickValueInArray(tolerances);
    const double angles[] = {60, 180, 1e-3, 0, 181, -5, std::nan(""), 90};
    p.corner_angle_deg = fdp.PickValueInArray(angles);
    p.smooth_min_area = fdp.ConsumeIntegralInRange<std::size_t>(0, 40);
    p.curve_min_area = fdp.ConsumeIntegralInRange<std::size_t>(0, 100);
    p.precision = fdp.ConsumeIntegralInRange<int>(-1, 7);
    p.max_paths = fdp.ConsumeBool() ? fdp.ConsumeIntegralInRange<std::size_t>(0, 64) : std::size_t(1) << 22;
    p.max_nodes = fdp.ConsumeBool() ? fdp.ConsumeIntegralInRange<std::size_t>(0, 512) : std::size_t(1) << 26;
    const bool use_par = fdp.ConsumeIntegralInRange<int>(0, 7) == 0;
    // Region fills (the default for k-means palettes) paint up to max(colors, region_colors).
    const std::size_t region_choices[] = {256, 0, 1, 2, 7, 300, 65536, 65537};
    p.region_colors = fdp.PickValueInArray(region_choices);
    // Region splits (split_psnr, default 31 dB: most fuzz images are below it) fill exact means.
    const double split_choices[] = {31, 0, 100, 45, -1, std::nan("")};
    p.split_psnr = fdp.PickValueInArray(split_choices);
    // Few distinct values keep regions large enough to reach the curve fitting.
    const std::uint8_t levels = fdp.ConsumeIntegralInRange<std::uint8_t>(1, 255);
    fuzz_image<std::uint8_t> img(fdp, 24, 1, 5, 0, levels);
    if (!img.ok) return 0;
    for (auto& v : img.buf) v = static_cast<std::uint8_t>(v * (255 / levels));
    try {
        const auto r = vecta::vectorize(img.view, p);
        check(r.document.starts_with("<svg ") && r.document.ends_with("</svg>\n"), "document is not an <svg>");
        // With an alpha channel (2 or 4 channels) transparency is kept: a fully transparent
        // image has no path at all.
        const bool alpha = img.view.channels() % 2 == 0;
        check(r.stats.paths >= (alpha ? 0u : 1u) && r.stats.paths <= p.max_paths, "paths outside 1..max_paths");
        check(r.stats.nodes <= p.max_nodes, "nodes above max_nodes");
        const std::size_t most = r.stats.regions_split > 0 ? 65536 : std::max(p.colors, p.region_colors);
        check(r.stats.colors >= (alpha ? 0u : 1u) && r.stats.colors <= most,
              "colours painted outside 1..max(colors, region_colors) (65536 after region splits)");
        check(r.stats.regions_split == 0 || (p.region_colors > 0 && r.stats.quantize_psnr < p.split_psnr),
              "regions split without region fills or above split_psnr");
        check(r.document.find("nan") == std::string::npos && r.document.find("inf") == std::string::npos,
              "non-finite number in the document");
        if (use_par) {
            const auto rp = vecta::vectorize(vecta::par, img.view, p);
            check(rp.document == r.document, "vectorize differs under seq and par");
        }
    } catch (const vecta::invalid_argument& e) {
        check_message(e);
        const std::string_view m = e.what();
        // Every refusal names what was wrong: src or one parameter.
        check(m.find("src") != std::string_view::npos || m.find("params.") != std::string_view::npos,
              "vectorize error names neither src nor a parameter");
    }
    return 0;
}
