// SPDX-License-Identifier: MIT
// vecta/geometry/skeleton_graph.hpp - the graph of a 1-pixel skeleton: ends, junctions, branches.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "../core/error.hpp"
#include "../core/image.hpp"
#include "../core/point.hpp"

namespace vecta {

/// The graph of an 8-connected skeleton. Pixel (x, y) has its centre at (x + 0.5, y + 0.5)
/// (the pixel-edge convention of vecta::trace_regions and the SVG writer).
struct skeleton_graph {
    static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
    /// An end (one skeleton neighbour), an isolated pixel, or a junction: an 8-connected
    /// cluster of pixels with 0, 1 or >= 3 skeleton neighbours.
    struct node {
        point2d position{};               ///< mean of the cluster's pixel centres
        std::vector<point2<int>> pixels;  ///< the cluster's pixels
        std::vector<std::size_t> edges;   ///< incident edges (a self-loop appears twice)
    };
    /// A branch: a chain of pixels with exactly two skeleton neighbours each, from node a to
    /// node b (a == b for a loop through one node); a closed ring of such pixels with no node
    /// has a == b == none.
    struct edge {
        std::size_t a = none, b = none;
        std::vector<point2<int>> pixels;  ///< in order from a to b, node pixels excluded
    };
    std::vector<node> nodes;
    std::vector<edge> edges;
};

/// Builds the graph of a skeleton (e.g. vecta::thinning's output): nodes are 8-connected
/// clusters of skeleton pixels whose number of skeleton 8-neighbours is not 2, edges the
/// chains of the other pixels between them, and rings of such pixels without any node.
/// Nodes come in raster order of their first pixel; edges in the order they are found.
/// Shapes: skeleton W x H, 1 channel, nonzero = skeleton. Complexity: O(W * H) for one scan and
/// one byte of marks per pixel, O(skeleton pixels + node pixels x log(node pixels)) for the rest.
/// Throws vecta::invalid_argument if skeleton is empty, not 1 channel, or has a side above
/// INT_MAX ("skeleton").
inline skeleton_graph build_skeleton_graph(image_view<const std::uint8_t> skeleton) {
    constexpr std::string_view fn = "vecta::build_skeleton_graph";
    detail::check_image(skeleton, fn, "skeleton", 1);
    detail::require(skeleton.width() < std::size_t(std::numeric_limits<int>::max()) &&
                        skeleton.height() < std::size_t(std::numeric_limits<int>::max()),
                    fn, "skeleton", "sides must be below INT_MAX");
    const std::size_t w = skeleton.width(), h = skeleton.height(), row = w + 2;
    // One byte per padded pixel: on the skeleton, a node pixel, visited by an edge walk. Node
    // ids of node pixels (few) in a sorted table: no per-pixel word array.
    constexpr std::uint8_t on_bit = 1, node_bit = 2, walked_bit = 4;
    std::vector<std::uint8_t> st(row * (h + 2), 0);
    std::vector<std::size_t> pix;  // skeleton pixels (padded indices), raster order
    for (std::size_t y = 0; y < h; ++y) {
        const std::uint8_t* s = skeleton.row(y);
        for (std::size_t x = 0; x < w; ++x)
            if (s[x]) {
                st[(y + 1) * row + x + 1] = on_bit;
                pix.push_back((y + 1) * row + x + 1);
            }
    }
    const std::ptrdiff_t r = std::ptrdiff_t(row);
    const std::ptrdiff_t off[8] = {-r, -r + 1, 1, r + 1, r, r - 1, -1, -r - 1};
    auto degree = [&](std::size_t i) {
        int d = 0;
        for (const auto o : off) d += st[std::size_t(std::ptrdiff_t(i) + o)] & on_bit;
        return d;
    };
    auto pixel_of = [&](std::size_t i) { return point2<int>{int(i % row) - 1, int(i / row) - 1}; };
    skeleton_graph g;
    std::vector<std::size_t> node_pix;  // node pixels, raster order; node_id[k]: the node of node_pix[k]
    for (const std::size_t i : pix)
        if (degree(i) != 2) {
            st[i] |= node_bit;
            node_pix.push_back(i);
        }
    constexpr std::uint32_t unset = 0xFFFFFFFFu;
    std::vector<std::uint32_t> node_id(node_pix.size(), unset);
    auto id_slot = [&](std::size_t i) -> std::uint32_t& {
        return node_id[std::size_t(std::lower_bound(node_pix.begin(), node_pix.end(), i) - node_pix.begin())];
    };
    std::vector<std::size_t> stack;
    for (std::size_t q = 0; q < node_pix.size(); ++q) {
        if (node_id[q] != unset) continue;
        const std::uint32_t id = std::uint32_t(g.nodes.size());
        g.nodes.emplace_back();
        auto& nd = g.nodes.back();
        stack.assign(1, node_pix[q]);
        node_id[q] = id;
        double sx = 0, sy = 0;
        while (!stack.empty()) {
            const std::size_t j = stack.back();
            stack.pop_back();
            const auto p = pixel_of(j);
            nd.pixels.push_back(p);
            sx += p.x + 0.5;
            sy += p.y + 0.5;
            for (const auto o : off) {
                const std::size_t k = std::size_t(std::ptrdiff_t(j) + o);
                if (!(st[k] & node_bit)) continue;
                std::uint32_t& slot = id_slot(k);
                if (slot == unset) {
                    slot = id;
                    stack.push_back(k);
                }
            }
        }
        nd.position = {sx / double(nd.pixels.size()), sy / double(nd.pixels.size())};
    }
    // Walks a chain from pixel `first` (entered from `prev`) until a node pixel or `stop`.
    auto walk = [&](std::size_t prev, std::size_t first, skeleton_graph::edge& e) -> std::size_t {
        std::size_t cur = first;
        for (;;) {
            st[cur] |= walked_bit;
            e.pixels.push_back(pixel_of(cur));
            std::size_t next = skeleton_graph::none;
            for (const auto o : off) {
                const std::size_t k = std::size_t(std::ptrdiff_t(cur) + o);
                if ((st[k] & on_bit) && k != prev && (st[k] & (node_bit | walked_bit)) != walked_bit) {
                    if (st[k] & node_bit) {  // prefer stopping at a node
                        next = k;
                        break;
                    }
                    if (next == skeleton_graph::none) next = k;
                }
            }
            if (next == skeleton_graph::none) return skeleton_graph::none;  // ring closed
            if (st[next] & node_bit) return next;
            prev = cur;
            cur = next;
        }
    };
    for (std::size_t n = 0; n < g.nodes.size(); ++n) {
        for (std::size_t pi = 0; pi < g.nodes[n].pixels.size(); ++pi) {
            const auto p = g.nodes[n].pixels[pi];
            const std::size_t i = std::size_t(p.y + 1) * row + std::size_t(p.x + 1);
            for (const auto o : off) {
                const std::size_t k = std::size_t(std::ptrdiff_t(i) + o);
                if (st[k] != on_bit) continue;  // off the skeleton, a node pixel, or walked
                skeleton_graph::edge e;
                e.a = n;
                const std::size_t end = walk(i, k, e);
                e.b = end == skeleton_graph::none ? n : id_slot(end);
                const std::size_t id = g.edges.size();
                g.nodes[n].edges.push_back(id);
                g.nodes[e.b].edges.push_back(id);
                g.edges.push_back(std::move(e));
            }
        }
    }
    for (const std::size_t i : pix) {
        if (st[i] != on_bit) continue;
        skeleton_graph::edge e;  // a ring: a == b == none
        std::size_t prev = i;
        for (const auto o : off) {  // enter the ring going to one neighbour, away from the other
            const std::size_t k = std::size_t(std::ptrdiff_t(i) + o);
            if (st[k] & on_bit) prev = k;
        }
        walk(prev, i, e);
        g.edges.push_back(std::move(e));
    }
    return g;
}

}  // namespace vecta
