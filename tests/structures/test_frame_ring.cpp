// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <filesystem>
#include <vecta/structures/frame_ring.hpp>
#include <vector>

namespace {
std::uint64_t splitmix(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::vector<std::byte> payload(std::uint64_t key, std::size_t n) {
    std::vector<std::byte> b(n);
    std::uint64_t s = key * 1000003u;
    for (auto& x : b) x = std::byte(splitmix(s) & 0xff);
    return b;
}

// Independent model of the layout: records of 32 + round8(n) bytes at monotonic positions; a record
// that does not fit before the end of the area starts at the next multiple of the capacity; the
// oldest records go until [front.start, end of new) fits the capacity.
struct model {
    struct rec {
        std::uint64_t ts, start;
        std::vector<std::byte> bytes;
    };
    std::uint64_t cap, tail = 0;
    std::deque<rec> q;
    explicit model(std::uint64_t capacity) : cap(capacity) {}
    std::size_t push(std::uint64_t ts, std::vector<std::byte> b) {
        const std::uint64_t len = 32 + (b.size() + 7) / 8 * 8;
        const std::uint64_t room = cap - tail % cap;
        const std::uint64_t start = room < len ? tail + room : tail;
        std::size_t evicted = 0;
        while (!q.empty() && start + len - q.front().start > cap) {
            q.pop_front();
            ++evicted;
        }
        q.push_back({ts, start, std::move(b)});
        tail = start + len;
        return evicted;
    }
};

void check_same(const vecta::frame_ring& ring, const model& m, const std::byte* base) {
    REQUIRE(ring.size() == m.q.size());
    std::size_t i = 0;
    for (const vecta::frame_view f : ring) {
        REQUIRE(i < m.q.size());
        const auto& r = m.q[i++];
        CHECK(f.timestamp == r.ts);
        REQUIRE(f.data.size() == r.bytes.size());
        CHECK(std::equal(f.data.begin(), f.data.end(), r.bytes.begin()));
        // In place, where the model puts it, never split at the end of the area, 8-byte aligned.
        const std::byte* data = base + vecta::frame_ring::header_bytes;
        CHECK(f.data.data() == data + (r.start + 24) % m.cap);
        CHECK(f.data.data() + f.data.size() <= data + m.cap);
        CHECK(reinterpret_cast<std::uintptr_t>(f.data.data()) % 8 == 0);
    }
    CHECK(i == m.q.size());
    if (!m.q.empty()) {
        CHECK(ring.front().timestamp == m.q.front().ts);
        CHECK(ring.back().timestamp == m.q.back().ts);
        CHECK(ring.back().data.size() == m.q.back().bytes.size());
        CHECK(ring.used_bytes() == m.tail - m.q.front().start);
    }
}

// Writes `frames` random frames with non-decreasing timestamps into ring and model.
void write_random(vecta::frame_ring& ring, model* m, std::uint64_t seed, int frames, std::size_t max_size) {
    std::uint64_t s = seed, ts = 1000;
    for (int k = 0; k < frames; ++k) {
        ts += splitmix(s) % 3;  // duplicates happen
        const std::size_t n = splitmix(s) % (max_size + 1);
        auto bytes = payload(seed * 7919 + std::uint64_t(k), n);
        const std::size_t ev = ring.push(ts, bytes);
        if (m) CHECK(ev == m->push(ts, std::move(bytes)));
    }
}

struct aligned_memory {
    std::vector<std::uint64_t> words;
    explicit aligned_memory(std::size_t bytes) : words((bytes + 7) / 8) {}
    std::span<std::byte> span(std::size_t bytes) { return {reinterpret_cast<std::byte*>(words.data()), bytes}; }
};
}  // namespace

TEST_CASE("frame_ring: random frame sizes match a reference model, with eviction and wrap") {
    for (std::size_t data_bytes : {32u, 40u, 56u, 256u, 1000u, 4096u}) {
        aligned_memory mem(128 + data_bytes + 7);
        auto span = mem.span(128 + data_bytes + 7);  // a size that is not a multiple of 8
        vecta::frame_ring ring(span);
        CHECK(ring.capacity_bytes() == data_bytes);
        CHECK(ring.max_frame_bytes() == data_bytes - 32);
        model m{data_bytes};
        std::uint64_t s = data_bytes, ts = 0;
        for (int k = 0; k < 600; ++k) {
            ts += splitmix(s) % 3;
            // Mostly small frames, sometimes the largest allowed.
            const std::size_t n =
                splitmix(s) % 8 == 0 ? ring.max_frame_bytes() : splitmix(s) % (ring.max_frame_bytes() / 3 + 1);
            auto bytes = payload(std::uint64_t(k), n);
            const std::uint64_t seq = ring.next_sequence();
            CHECK(ring.push(ts, bytes) == m.push(ts, bytes));
            CHECK(ring.next_sequence() == seq + 1);
            CHECK(ring.back().sequence == seq);
            check_same(ring, m, span.data());
            // Lookup by timestamp: first >= t, and exact.
            const std::uint64_t probe = ts >= 3 ? ts - splitmix(s) % 4 : ts;
            auto lb = ring.lower_bound(probe);
            auto mit = std::find_if(m.q.begin(), m.q.end(), [&](const auto& r) { return r.ts >= probe; });
            if (mit == m.q.end()) {
                CHECK(lb == ring.end());
            } else {
                REQUIRE(lb != ring.end());
                CHECK((*lb).timestamp == mit->ts);
                CHECK((*lb).data.data() == span.data() + 128 + (mit->start + 24) % data_bytes);
            }
            auto ex = ring.find(probe);
            CHECK((ex != ring.end()) == (mit != m.q.end() && mit->ts == probe));
            if (k % 50 == 0) check_same(vecta::frame_ring::attach(span), m, span.data());
        }
        ring.clear();
        CHECK(ring.empty());
        CHECK(ring.begin() == ring.end());
        CHECK(ring.used_bytes() == 0);
        CHECK(ring.push(0, payload(1, std::min<std::size_t>(3, ring.max_frame_bytes()))) == 0);  // ts restart
        CHECK(ring.size() == 1);
    }
}

TEST_CASE("frame_ring: largest frame fills the ring; larger frames are rejected and change nothing") {
    aligned_memory mem(128 + 128);
    auto span = mem.span(128 + 128);
    vecta::frame_ring ring(span);
    CHECK(ring.push(1, payload(1, 10)) == 0);
    CHECK(ring.push(2, payload(2, 10)) == 0);
    const auto seq = ring.next_sequence();
    CHECK_THROWS_WITH_AS(ring.push(3, payload(3, 97)), doctest::Contains("frame"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(ring.push(1, payload(3, 1)), doctest::Contains("timestamp"), vecta::invalid_argument);
    CHECK(ring.size() == 2);
    CHECK(ring.next_sequence() == seq);
    CHECK(ring.push(3, payload(3, 96)) == 2);
    CHECK(ring.size() == 1);
    CHECK(ring.front().data.size() == 96);
    CHECK(ring.push(4, {}) == 1);
    CHECK(ring.front().data.empty());
    CHECK(ring.front().timestamp == 4);
}

TEST_CASE("frame_ring: attach validates the header and repairs the records") {
    aligned_memory mem(128 + 512);
    auto span = mem.span(128 + 512);
    {
        vecta::frame_ring ring(span);
        write_random(ring, nullptr, 5, 40, 100);
    }
    auto attached = vecta::frame_ring::attach(span);
    REQUIRE(attached.size() > 2);
    std::vector<vecta::frame_view> frames(attached.begin(), attached.end());
    auto corrupt = [&](std::size_t offset, std::uint64_t value, const char* what) {
        std::vector<std::uint64_t> saved(mem.words);
        std::memcpy(span.data() + offset, &value, 8);
        CHECK_THROWS_WITH_AS(vecta::frame_ring::attach(span), doctest::Contains(what), vecta::io_error);
        CHECK_THROWS_WITH_AS(vecta::frame_reader{span}, doctest::Contains(what), vecta::io_error);
        mem.words = saved;
        CHECK_NOTHROW(vecta::frame_ring::attach(span));
    };
    corrupt(0, 0x1234, "magic");
    corrupt(8, 1 | (128ull << 32), "version");  // version 1: the layout before sequence tags
    corrupt(8, 2 | (64ull << 32), "header size");
    corrupt(16, 520, "capacity");
    corrupt(16, 0, "capacity");
    // The same header seen through a smaller mapping: the capacity no longer fits.
    CHECK_THROWS_WITH_AS(vecta::frame_ring::attach(mem.span(256)), doctest::Contains("capacity"), vecta::io_error);
    // A damaged record k (memory written by someone else than the writer): published frames are
    // missing, so attach starts an empty ring that continues the sequence numbers (readers never
    // see a sequence number twice).
    const auto offset_of = [&](const vecta::frame_view& f) {
        return static_cast<std::size_t>(f.data.data() - span.data()) - 24;
    };
    for (std::size_t k : {std::size_t(0), std::size_t(1), frames.size() / 2, frames.size() - 1}) {
        for (std::size_t word : {0u, 8u, 16u}) {  // tag, size, trailing tag (via the size)
            std::vector<std::uint64_t> saved(mem.words);
            std::uint64_t v = word == 0 ? 12345 : (word == 8 ? (1u << 20) : 0);
            std::size_t off = offset_of(frames[k]) + (word == 16 ? 24 + (frames[k].data.size() + 7) / 8 * 8 : word);
            if (word == 16) v = 7;
            std::memcpy(span.data() + off, &v, 8);
            auto repaired = vecta::frame_ring::attach(span);
            CHECK(repaired.empty());
            CHECK(repaired.next_sequence() == frames.back().sequence + 1);
            CHECK(repaired.begin() == repaired.end());
            mem.words = saved;
        }
    }
    // An odd header sequence (a writer killed while updating the head words) is repaired.
    std::uint64_t odd = 7;
    std::memcpy(span.data() + 24, &odd, 8);
    CHECK(vecta::frame_ring::attach(span).size() == frames.size());
}

TEST_CASE("frame_ring: bad memory") {
    aligned_memory mem(1024);
    CHECK_THROWS_WITH_AS(vecta::frame_ring(mem.span(159)), doctest::Contains("memory"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::frame_ring(mem.span(1024).subspan(4, 512)), doctest::Contains("aligned"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::frame_ring::attach(mem.span(100)), doctest::Contains("memory"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::frame_ring::attach(mem.span(1024)), doctest::Contains("magic"), vecta::io_error);
    vecta::frame_ring ok(mem.span(160));  // the smallest: one empty frame
    CHECK(ok.max_frame_bytes() == 0);
    CHECK(ok.push(1, {}) == 0);
    CHECK(ok.push(2, {}) == 1);
    CHECK_THROWS_AS(ok.push(3, payload(1, 1)), vecta::invalid_argument);
    vecta::frame_ring empty(mem.span(1024));
    CHECK_THROWS_AS(empty.front(), std::out_of_range);
    CHECK_THROWS_AS(empty.back(), std::out_of_range);
    CHECK(empty.find(0) == empty.end());
}

TEST_CASE("frame_ring: a moved-from writer is detached (stranger2: it stayed a second writer)") {
    aligned_memory mem(4096);
    vecta::frame_ring a(mem.span(4096));
    a.push(1, payload(1, 100));
    vecta::frame_ring b = std::move(a);
    CHECK(b.size() == 1);
    CHECK(a.size() == 0);
    CHECK(a.empty());
    CHECK(a.capacity_bytes() == 0);
    CHECK(a.max_frame_bytes() == 0);
    CHECK(a.repairs() == 0);
    CHECK(a.begin() == a.end());
    CHECK_THROWS_AS(a.front(), std::out_of_range);
    CHECK_THROWS_WITH_AS(a.push(2, payload(2, 10)), doctest::Contains("*this"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(a.push(2, {}), doctest::Contains("*this"), vecta::invalid_argument);
    a.clear();  // no-op: the ring keeps b's frame
    CHECK(b.size() == 1);
    b.push(2, payload(2, 10));
    vecta::frame_reader r(std::span<const std::byte>(mem.span(4096)));
    std::vector<std::uint64_t> ts;
    while (auto got = r.try_next()) ts.push_back(got.frame.timestamp);
    CHECK(ts == std::vector<std::uint64_t>{1, 2});
    a = std::move(b);  // the writer moves back
    CHECK(a.push(3, payload(3, 10)) == 0);
    CHECK(a.size() == 3);
    CHECK_THROWS_WITH_AS(b.push(4, {}), doctest::Contains("*this"), vecta::invalid_argument);
}

TEST_CASE("frame_ring: a writer process and a reader process share a memory-mapped file") {
    const std::size_t bytes = 128 + 64 * 1024;
    const auto path = std::filesystem::temp_directory_path() / ("vecta_frame_ring_" + std::to_string(::getpid()));
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(::ftruncate(fd, off_t(bytes)) == 0);
    ::close(fd);
    const std::uint64_t seed = 99;
    const int frames = 2000;
    const std::size_t max_size = 3000;

    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // Writer: maps the file itself, formats a ring and writes; exit code 0 on success.
        int code = 1;
        const int cfd = ::open(path.c_str(), O_RDWR);
        void* p = cfd >= 0 ? ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0) : MAP_FAILED;
        if (p != MAP_FAILED) {
            try {
                vecta::frame_ring ring(std::span<std::byte>(static_cast<std::byte*>(p), bytes));
                write_random(ring, nullptr, seed, frames, max_size);
                code = ::msync(p, bytes, MS_SYNC) == 0 ? 0 : 2;
            } catch (...) {
                code = 3;
            }
            ::munmap(p, bytes);
        }
        ::_exit(code);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);

    // Reader: its own mapping of the file; attaches and must see every frame the writer kept.
    const int rfd = ::open(path.c_str(), O_RDWR);
    REQUIRE(rfd >= 0);
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0);
    ::close(rfd);
    REQUIRE(p != MAP_FAILED);
    std::span<std::byte> mem(static_cast<std::byte*>(p), bytes);
    {
        model m{(bytes - 128) / 8 * 8};
        aligned_memory scratch(bytes);
        vecta::frame_ring local(scratch.span(bytes));
        write_random(local, &m, seed, frames, max_size);  // the model of what the writer kept
        const auto ring = vecta::frame_ring::attach(mem);
        CHECK(ring.size() > 10);
        check_same(ring, m, mem.data());
        CHECK(ring.back().timestamp == m.q.back().ts);
        CHECK(ring.next_sequence() == std::uint64_t(frames));
    }
    ::munmap(p, bytes);
    std::filesystem::remove(path);
}
