// SPDX-License-Identifier: MIT
// fuzz/fuzz_frame_ring.cpp - frame_ring::attach over arbitrary bytes: attach either throws
// vecta::io_error / vecta::invalid_argument or returns a ring whose every frame lies inside the
// memory; pushing more frames onto an attached ring keeps it valid (it re-attaches with the
// same frames).
#include <optional>
#include <vecta/structures/frame_ring.hpp>

#include "fuzz_support.hpp"

namespace {

// Walks the frames and checks they lie inside the memory; returns their count.
std::size_t walk(const vecta::frame_ring& r, const std::byte* lo, const std::byte* hi) {
    using namespace vecta_fuzz;
    std::size_t n = 0;
    std::uint64_t last = 0;
    for (const vecta::frame_view f : r) {
        check(f.data.data() >= lo && f.data.data() + f.data.size() <= hi, "a frame lies outside the memory");
        check(n == 0 || f.timestamp >= last, "timestamps decrease");
        last = f.timestamp;
        check(++n <= r.size(), "more frames than size()");
    }
    check(n == r.size(), "fewer frames than size()");
    if (n > 0) {
        check(r.back().timestamp == last, "back() is not the newest frame");
        check(r.find(last) != r.end(), "find() misses the newest timestamp");
    }
    check(r.used_bytes() <= r.capacity_bytes(), "used_bytes above capacity");
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vecta_fuzz;
    if (size < 2 || size > 65536) return 0;
    // The last byte picks how many frames to push afterwards and their size scale.
    const std::uint8_t ctl = data[size - 1];
    --size;
    std::vector<std::uint64_t> storage((size + 7) / 8 + 1);  // 8-byte aligned copy of the input
    auto* mem = reinterpret_cast<std::byte*>(storage.data());
    std::memcpy(mem, data, size);
    const std::span<std::byte> memory(mem, size);
    std::optional<vecta::frame_ring> attached;
    try {
        attached = vecta::frame_ring::attach(memory);
    } catch (const vecta::io_error& e) {
        check_message(e);
    } catch (const vecta::invalid_argument& e) {
        check_message(e);
        check(std::string_view(e.what()).find("memory") != std::string_view::npos, "error does not name memory");
    }
    if (!attached) {
        // Not a ring: format the memory instead (when large enough) and continue from there.
        if (size < vecta::frame_ring::header_bytes + vecta::frame_ring::record_header_bytes) return 0;
        attached = vecta::frame_ring(memory);
        check(attached->empty(), "a newly formatted ring is not empty");
    }
    vecta::frame_ring& ring = *attached;
    walk(ring, mem, mem + size);
    std::uint64_t ts = ring.empty() ? 0 : ring.back().timestamp;
    const int pushes = ctl & 7;
    for (int i = 0; i < pushes; ++i) {
        const std::size_t n = (std::size_t(ctl >> 3) * 13 + std::size_t(i) * 7) % (ring.max_frame_bytes() + 1);
        std::vector<std::byte> frame(n, std::byte(i));
        const std::size_t before = ring.size();
        const std::size_t evicted = ring.push(ts, frame);
        check(ring.size() == before + 1 - evicted, "push: size() does not add up");
        check(ring.back().data.size() == n && ring.back().timestamp == ts, "push: back() is not the new frame");
        if (ts <= ~std::uint64_t{0} - 7) ts += std::uint64_t(i);  // timestamps must not wrap around
    }
    const std::size_t frames = walk(ring, mem, mem + size);
    const vecta::frame_ring again = vecta::frame_ring::attach(memory);  // must not throw
    check(walk(again, mem, mem + size) == frames, "re-attach sees another frame count");
    if (!ring.empty() && ring.back().timestamp > 0) {
        try {
            ring.push(ring.back().timestamp - 1, {});
            fail("push accepted a decreasing timestamp");
        } catch (const vecta::invalid_argument& e) {
            check(std::string_view(e.what()).find("timestamp") != std::string_view::npos,
                  "error does not name timestamp");
        }
    }
    return 0;
}
