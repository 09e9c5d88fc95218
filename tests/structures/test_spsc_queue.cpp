// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <thread>
#include <vecta/structures/spsc_queue.hpp>
#include <vector>

namespace spsc_queue_test {  // named: the structures tests are compiled as one unity translation unit

namespace {
std::uint64_t splitmix(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

struct counted {
    static inline std::atomic<int> live{0};
    int v = 0;
    counted() { ++live; }
    explicit counted(int x) : v(x) { ++live; }
    counted(const counted& o) : v(o.v) { ++live; }
    counted(counted&& o) noexcept : v(o.v) { ++live; }
    counted& operator=(const counted&) = default;
    counted& operator=(counted&&) = default;
    ~counted() { --live; }
};

#ifdef VECTA_TEST_SANITIZED
constexpr std::uint64_t stress_items = 1'000'000;
#else
constexpr std::uint64_t stress_items = 10'000'000;
#endif

// Producer sends 0..n-1 with single and batch pushes of random sizes; the consumer checks that
// it receives exactly 0..n-1 in order (nothing lost, duplicated or reordered).
void stress(std::size_t capacity, std::uint64_t n, bool batches) {
    vecta::spsc_queue<std::uint64_t> q(capacity);
    std::atomic<bool> failed{false};
    std::thread producer([&] {
        std::uint64_t s = 1, next = 0;
        std::vector<std::uint64_t> buf(64);
        while (next < n) {
            if (batches && splitmix(s) % 2 == 0) {
                const std::size_t k = std::min<std::uint64_t>(1 + splitmix(s) % 64, n - next);
                for (std::size_t i = 0; i < k; ++i) buf[i] = next + i;
                std::size_t sent = 0;
                while (sent < k) {
                    const std::size_t m = q.push_n(std::span<const std::uint64_t>(buf.data() + sent, k - sent));
                    if (m == 0) std::this_thread::yield();
                    sent += m;
                }
                next += k;
            } else {
                while (!q.try_push(next)) std::this_thread::yield();
                ++next;
            }
        }
    });
    std::uint64_t s = 2, expected = 0;
    std::vector<std::uint64_t> buf(64);
    while (expected < n && !failed) {
        if (batches && splitmix(s) % 2 == 0) {
            const std::size_t got = q.pop_n(std::span<std::uint64_t>(buf.data(), 1 + splitmix(s) % 64));
            if (got == 0) std::this_thread::yield();
            for (std::size_t i = 0; i < got; ++i)
                if (buf[i] != expected++) failed = true;
        } else {
            std::uint64_t v;
            if (q.try_pop(v)) {
                if (v != expected++) failed = true;
            } else {
                std::this_thread::yield();
            }
        }
    }
    producer.join();
    CHECK(!failed);
    CHECK(expected == n);
    CHECK(q.empty());
}
}  // namespace

TEST_CASE("spsc_queue: single-threaded operations match a std::deque model") {
    for (std::size_t cap : {1u, 2u, 3u, 7u, 64u}) {
        vecta::spsc_queue<int> q(cap);
        CHECK(q.capacity() == cap);
        std::deque<int> ref;
        std::uint64_t s = cap;
        int next = 0;
        std::vector<int> in(2 * cap + 2), out(2 * cap + 2);
        for (int step = 0; step < 5000; ++step) {
            const auto op = splitmix(s) % 4;
            if (op == 0) {
                const bool ok = q.try_push(next);
                CHECK(ok == (ref.size() < cap));
                if (ok) ref.push_back(next);
                ++next;
            } else if (op == 1) {
                const auto got = q.try_pop();
                CHECK(bool(got) == !ref.empty());
                if (got) {
                    CHECK(*got == ref.front());
                    ref.pop_front();
                }
            } else if (op == 2) {
                const std::size_t k = splitmix(s) % (2 * cap + 2);
                for (std::size_t i = 0; i < k; ++i) in[i] = next + int(i);
                const std::size_t pushed = q.push_n(std::span<const int>(in.data(), k));
                CHECK(pushed == std::min(k, cap - ref.size()));
                for (std::size_t i = 0; i < pushed; ++i) ref.push_back(in[i]);
                next += int(k);
            } else {
                const std::size_t k = splitmix(s) % (2 * cap + 2);
                const std::size_t popped = q.pop_n(std::span<int>(out.data(), k));
                CHECK(popped == std::min(k, ref.size()));
                for (std::size_t i = 0; i < popped; ++i) {
                    CHECK(out[i] == ref.front());
                    ref.pop_front();
                }
            }
            CHECK(q.size_approx() == ref.size());
        }
    }
}

TEST_CASE("spsc_queue: capacity 1") {
    vecta::spsc_queue<int> q(1);
    CHECK(q.empty());
    CHECK(q.try_push(5));
    CHECK(!q.try_push(6));
    int v = 0;
    CHECK(q.try_pop(v));
    CHECK(v == 5);
    CHECK(!q.try_pop(v));
    const int two[2] = {7, 8};
    CHECK(q.push_n(two) == 1);
    int out[2] = {};
    CHECK(q.pop_n(out) == 1);
    CHECK(out[0] == 7);
}

TEST_CASE("spsc_queue: move-only items and lifetimes") {
    {
        vecta::spsc_queue<std::unique_ptr<int>> q(4);
        CHECK(q.try_push(std::make_unique<int>(1)));
        CHECK(q.try_emplace(new int(2)));
        std::unique_ptr<int> p;
        CHECK(q.try_pop(p));
        CHECK(*p == 1);
        std::unique_ptr<int> out[3];
        CHECK(q.pop_n(out) == 1);
        CHECK(*out[0] == 2);
    }
    {
        vecta::spsc_queue<counted> q(5);
        for (int i = 0; i < 3; ++i) q.try_emplace(i);
        std::vector<counted> src(4);
        CHECK(q.push_n(src) == 2);  // wraps, only 2 fit
        CHECK(counted::live == 4 + 5);
        q.try_pop();
        CHECK(counted::live == 4 + 4);
    }
    CHECK(counted::live == 0);  // the destructor destroyed the items left in the queue
}

TEST_CASE("spsc_queue: two-thread stress loses, duplicates and reorders nothing") {
    stress(1, stress_items / 20, false);
    stress(3, stress_items / 10, true);
    stress(1024, stress_items, true);
    stress(4096, stress_items / 2, false);
}

TEST_CASE("spsc_queue: bad input") {
    CHECK_THROWS_WITH_AS(vecta::spsc_queue<int>(0), doctest::Contains("capacity"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::spsc_queue<int>(SIZE_MAX), doctest::Contains("capacity"), vecta::invalid_argument);
    vecta::spsc_queue<int> q(2);
    CHECK(q.push_n(std::span<const int>{}) == 0);
    CHECK(q.pop_n(std::span<int>{}) == 0);
}

}  // namespace spsc_queue_test
