// SPDX-License-Identifier: MIT
// fuzz/fuzz_frame_ring.cpp - frame_reader and frame_ring::attach over arbitrary bytes (memory another
// process may have written anything into):
// - a frame_reader either refuses the memory (vecta::io_error / invalid_argument naming memory) or
//   reads frames that lie inside the data area, in increasing sequence order, each call bounded;
//   corrupt records may throw vecta::io_error, nothing else;
// - attach (the writer's repair) either refuses the header or yields a ring whose frames lie
//   inside the memory; pushing more frames keeps it valid: a second attach finds the same frames
//   (the repair is idempotent) and a new reader reads exactly those frames, byte for byte.
#include <optional>
#include <vecta/structures/frame_ring.hpp>

#include "fuzz_support.hpp"

namespace {

using namespace vecta_fuzz;

struct seen {
    std::uint64_t sequence, timestamp;
    std::vector<std::byte> bytes;
};

// Walks the writer's frames and checks they lie inside the data area; returns them.
std::vector<seen> walk(const vecta::frame_ring& r, const std::byte* lo, const std::byte* hi) {
    std::vector<seen> out;
    for (const vecta::frame_view f : r) {
        check(f.data.data() >= lo && f.data.data() + f.data.size() <= hi, "a frame lies outside the data area");
        check(out.empty() || f.timestamp >= out.back().timestamp, "timestamps decrease");
        check(out.empty() || f.sequence == out.back().sequence + 1, "sequence numbers are not consecutive");
        out.push_back({f.sequence, f.timestamp, {f.data.begin(), f.data.end()}});
        check(out.size() <= r.size(), "more frames than size()");
    }
    check(out.size() == r.size(), "fewer frames than size()");
    check(r.used_bytes() <= r.capacity_bytes(), "used_bytes above capacity");
    if (!out.empty()) check(r.back().sequence == out.back().sequence, "back() is not the newest frame");
    return out;
}

// A reader over untrusted memory: frames inside the data area, sequences increasing.
void read_untrusted(std::span<const std::byte> memory, const std::byte* lo, const std::byte* hi) {
    std::optional<vecta::frame_reader> r;
    try {
        r.emplace(memory);
    } catch (const vecta::io_error& e) {
        check_message(e);
        return;
    } catch (const vecta::invalid_argument& e) {
        check_message(e);
        check(std::string_view(e.what()).find("memory") != std::string_view::npos, "error does not name memory");
        return;
    }
    std::vector<std::byte> out;
    std::uint64_t last = 0;
    bool any = false;
    for (int i = 0; i < 64; ++i) {
        try {
            const vecta::frame_read got = i % 8 == 7 ? r->wait_next(std::chrono::microseconds(1)) : r->try_next();
            if (!got) continue;
            check(got.frame.data.data() >= lo && got.frame.data.data() + got.frame.data.size() <= hi,
                  "reader: a frame lies outside the data area");
            check(!any || got.frame.sequence > last, "reader: sequence numbers go back");
            last = got.frame.sequence;
            any = true;
            out.resize(got.frame.data.size());
            (void)r->copy(got.frame, out);
        } catch (const vecta::io_error& e) {
            check_message(e);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2 || size > 65536) return 0;
    // The last byte picks how many frames to push afterwards and their size scale.
    const std::uint8_t ctl = data[size - 1];
    --size;
    std::vector<std::uint64_t> storage((size + 7) / 8 + 1);  // 8-byte aligned copy of the input
    auto* mem = reinterpret_cast<std::byte*>(storage.data());
    std::memcpy(mem, data, size);
    const std::span<std::byte> memory(mem, size);
    const std::byte* lo = mem + vecta::frame_ring::header_bytes;
    const std::byte* hi = mem + size;

    read_untrusted(memory, lo, hi);

    std::optional<vecta::frame_ring> attached;
    try {
        attached.emplace(vecta::frame_ring::attach(memory));
    } catch (const vecta::io_error& e) {
        check_message(e);
    } catch (const vecta::invalid_argument& e) {
        check_message(e);
        check(std::string_view(e.what()).find("memory") != std::string_view::npos, "error does not name memory");
    }
    if (!attached) {
        // Not a ring: format the memory instead (when large enough) and continue from there.
        if (size < vecta::frame_ring::min_memory_bytes) return 0;
        attached.emplace(memory);
        check(attached->empty(), "a newly formatted ring is not empty");
    }
    vecta::frame_ring& ring = *attached;
    walk(ring, lo, hi);
    std::uint64_t ts = ring.empty() ? 0 : ring.back().timestamp;
    const int pushes = ctl & 7;
    for (int i = 0; i < pushes; ++i) {
        const std::size_t n = (std::size_t(ctl >> 3) * 13 + std::size_t(i) * 7) % (ring.max_frame_bytes() + 1);
        std::vector<std::byte> frame(n, std::byte(i));
        const std::size_t before = ring.size();
        const std::uint64_t next = ring.next_sequence();
        const std::size_t evicted = ring.push(ts, frame);
        check(ring.size() == before + 1 - evicted, "push: size() does not add up");
        check(ring.next_sequence() == next + 1, "push: next_sequence() did not advance by one");
        check(ring.back().data.size() == n && ring.back().timestamp == ts, "push: back() is not the new frame");
        if (ts <= ~std::uint64_t{0} - 7) ts += std::uint64_t(i);  // timestamps must not wrap around
    }
    const auto frames = walk(ring, lo, hi);
    // The repair of a healthy ring changes nothing.
    const vecta::frame_ring again = vecta::frame_ring::attach(memory);  // must not throw
    const auto frames2 = walk(again, lo, hi);
    check(frames2.size() == frames.size() && again.next_sequence() == ring.next_sequence(),
          "re-attach sees other frames");
    // A reader from the head reads exactly the frames held.
    vecta::frame_reader reader(memory);
    for (const seen& s : frames) {
        const vecta::frame_read got = reader.try_next();
        check(bool(got), "reader: a frame held is missing");
        check(got.frame.sequence == s.sequence && got.frame.timestamp == s.timestamp, "reader: another frame");
        check(got.frame.data.size() == s.bytes.size() &&
                  std::equal(s.bytes.begin(), s.bytes.end(), got.frame.data.begin()),
              "reader: other bytes");
        check(reader.valid(got.frame), "reader: a frame held is not valid");
    }
    check(!reader.try_next(), "reader: more frames than held");
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
