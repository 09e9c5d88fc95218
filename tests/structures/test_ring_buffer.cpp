// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <iterator>
#include <memory>
#include <numeric>
#include <ranges>
#include <stdexcept>
#include <string>
#include <vecta/structures/ring_buffer.hpp>
#include <vector>

namespace ring_buffer_test {  // named: the structures tests are compiled as one unity translation unit

namespace {
std::uint64_t splitmix(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

template <class T>
void check_same(const vecta::ring_buffer<T>& r, const std::deque<T>& ref) {
    REQUIRE(r.size() == ref.size());
    CHECK(r.empty() == ref.empty());
    CHECK(r.full() == (ref.size() == r.capacity()));
    CHECK(std::equal(r.begin(), r.end(), ref.begin(), ref.end()));
    CHECK(std::equal(r.rbegin(), r.rend(), ref.rbegin(), ref.rend()));
    for (std::size_t i = 0; i < ref.size(); ++i) {
        CHECK(r[i] == ref[i]);
        CHECK(r.at(i) == ref[i]);
    }
    if (!ref.empty()) {
        CHECK(r.front() == ref.front());
        CHECK(r.back() == ref.back());
    }
}

// Counts live objects to catch leaks and double destruction.
struct tracked {
    static inline int live = 0;
    int v;
    explicit tracked(int x) : v(x) { ++live; }
    tracked(const tracked& o) : v(o.v) { ++live; }
    tracked(tracked&& o) noexcept : v(o.v) { ++live; }
    tracked& operator=(const tracked&) = default;
    tracked& operator=(tracked&&) = default;
    ~tracked() { --live; }
    bool operator==(const tracked& o) const { return v == o.v; }
};
}  // namespace

static_assert(std::random_access_iterator<vecta::ring_buffer<int>::iterator>);
static_assert(std::random_access_iterator<vecta::ring_buffer<int>::const_iterator>);
static_assert(std::ranges::random_access_range<vecta::ring_buffer<int>>);
static_assert(std::ranges::sized_range<vecta::ring_buffer<int>>);

TEST_CASE("ring_buffer: random operations match a std::deque model under both full policies") {
    for (auto policy : {vecta::full_policy::overwrite_oldest, vecta::full_policy::reject})
        for (std::size_t cap : {1u, 2u, 3u, 5u, 8u, 64u}) {
            vecta::ring_buffer<std::int64_t> r(cap, policy);
            std::deque<std::int64_t> ref;
            std::size_t dropped = 0;
            std::uint64_t s = cap * 7 + static_cast<std::uint64_t>(policy);
            for (int step = 0; step < 3000; ++step) {
                const auto op = splitmix(s) % 10;
                if (op < 6) {
                    const auto v = static_cast<std::int64_t>(splitmix(s));
                    bool expect = true;
                    if (ref.size() == cap) {
                        ++dropped;
                        if (policy == vecta::full_policy::reject)
                            expect = false;
                        else
                            ref.pop_front();
                    }
                    if (expect) ref.push_back(v);
                    CHECK(r.push(v) == expect);
                } else if (op < 9) {
                    auto got = r.pop();
                    if (ref.empty()) {
                        CHECK(!got);
                    } else {
                        REQUIRE(got);
                        CHECK(*got == ref.front());
                        ref.pop_front();
                    }
                } else if (splitmix(s) % 20 == 0) {
                    r.clear();
                    ref.clear();
                }
                CHECK(r.dropped() == dropped);
                check_same(r, ref);
            }
        }
}

TEST_CASE("ring_buffer: wrap-around at every offset") {
    for (std::size_t cap : {1u, 2u, 3u, 4u, 7u, 16u})
        for (std::size_t offset = 0; offset < cap; ++offset)
            for (auto policy : {vecta::full_policy::overwrite_oldest, vecta::full_policy::reject}) {
                vecta::ring_buffer<int> r(cap, policy);
                std::deque<int> ref;
                int next = 0;
                for (std::size_t i = 0; i < offset; ++i) r.push(next++);  // move the head to `offset`
                for (std::size_t i = 0; i < offset; ++i) CHECK(*r.pop() == int(i));
                REQUIRE(r.empty());
                for (std::size_t i = 0; i < cap; ++i) {
                    r.push(next);
                    ref.push_back(next++);
                }
                check_same(r, ref);  // contents cross the physical end unless offset == 0
                // One more: overwrite drops the oldest, reject leaves everything.
                CHECK(r.push(next) == (policy == vecta::full_policy::overwrite_oldest));
                if (policy == vecta::full_policy::overwrite_oldest) {
                    ref.pop_front();
                    ref.push_back(next);
                }
                ++next;
                check_same(r, ref);
                // Random access iterators work with the standard algorithms across the wrap.
                std::vector<int> copy(r.begin(), r.end());
                CHECK(std::accumulate(r.begin(), r.end(), 0) == std::accumulate(ref.begin(), ref.end(), 0));
                std::sort(r.begin(), r.end(), std::greater<>{});
                std::sort(ref.begin(), ref.end(), std::greater<>{});
                check_same(r, ref);
                CHECK(std::ranges::is_sorted(r, std::greater<>{}));
                auto it = std::lower_bound(r.rbegin(), r.rend(), ref.back());
                CHECK(*it == ref.back());
                CHECK(r.end() - r.begin() == std::ptrdiff_t(cap));
                CHECK(r.begin()[std::ptrdiff_t(cap) - 1] == ref.back());
                int sum = 0;
                for (int x : r) sum += x;
                CHECK(sum == std::accumulate(copy.begin(), copy.end(), 0));
            }
}

TEST_CASE("ring_buffer: capacity 1") {
    vecta::ring_buffer<int> over(1, vecta::full_policy::overwrite_oldest);
    CHECK(over.push(1));
    CHECK(over.full());
    CHECK(over.push(2));
    CHECK(over.front() == 2);
    CHECK(over.back() == 2);
    CHECK(over.dropped() == 1);
    CHECK(*over.pop() == 2);
    CHECK(!over.pop());
    vecta::ring_buffer<int> rej(1, vecta::full_policy::reject);
    CHECK(rej.push(1));
    CHECK(!rej.push(2));
    CHECK(rej.front() == 1);
    CHECK(rej.dropped() == 1);
    CHECK(rej.policy() == vecta::full_policy::reject);
}

TEST_CASE("ring_buffer: move-only elements, lifetimes, copy and move") {
    {
        vecta::ring_buffer<std::unique_ptr<int>> r(3);
        for (int i = 0; i < 5; ++i) r.emplace(std::make_unique<int>(i));
        CHECK(*r.front() == 2);
        CHECK(*r.back() == 4);
        auto p = r.pop();
        CHECK(**p == 2);
        auto moved = std::move(r);
        CHECK(moved.size() == 2);
        CHECK(*moved[1] == 4);
    }
    {
        vecta::ring_buffer<tracked> r(4);
        for (int i = 0; i < 11; ++i) r.emplace(i);
        CHECK(tracked::live == 4);
        vecta::ring_buffer<tracked> c = r;
        CHECK(tracked::live == 8);
        CHECK(std::equal(c.begin(), c.end(), r.begin(), r.end()));
        r.pop();
        CHECK(tracked::live == 7);
        c = r;
        CHECK(tracked::live == 6);
        CHECK(c.size() == 3);
        CHECK(c.front().v == 8);
        r.clear();
        CHECK(tracked::live == 3);
    }
    CHECK(tracked::live == 0);
}

TEST_CASE("ring_buffer: a moved-from ring stays usable (stranger2: push on it dereferenced null)") {
    for (const auto policy : {vecta::full_policy::overwrite_oldest, vecta::full_policy::reject}) {
        vecta::ring_buffer<std::string> r(2, policy);
        r.push("a");
        const auto moved = std::move(r);
        CHECK(moved.size() == 1);
        CHECK(r.empty());
        CHECK(r.capacity() == 0);
        CHECK_FALSE(r.push(std::string(40, 'x')));  // stores nothing, like a full reject ring
        CHECK(r.dropped() == 1);
        CHECK(r.size() == 0);
        CHECK_FALSE(r.pop().has_value());
        CHECK_THROWS_AS(r.front(), std::out_of_range);
        CHECK(std::distance(r.begin(), r.end()) == 0);
        const vecta::ring_buffer<std::string> copy = r;  // a moved-from ring copies, without throwing
        CHECK(copy.capacity() == 0);
        r = vecta::ring_buffer<std::string>(3, policy);  // and takes a new ring
        CHECK(r.push("b"));
        CHECK(r.front() == "b");
    }
}

namespace ring_copy_test {
struct throws_on_copy {
    static inline int live = 0, copies_left = 0;
    int v;
    explicit throws_on_copy(int x) : v(x) { ++live; }
    throws_on_copy(const throws_on_copy& o) : v(o.v) {
        if (copies_left-- == 0) throw std::runtime_error("copy");
        ++live;
    }
    throws_on_copy(throws_on_copy&& o) noexcept : v(o.v) { ++live; }
    ~throws_on_copy() { --live; }
};
}  // namespace ring_copy_test

TEST_CASE("ring_buffer: a copy whose element copy throws destroys what it made") {
    using ring_copy_test::throws_on_copy;
    {
        vecta::ring_buffer<throws_on_copy> r(4);
        for (int i = 0; i < 4; ++i) r.emplace(i);
        throws_on_copy::copies_left = 2;
        CHECK_THROWS_AS([&] { const vecta::ring_buffer<throws_on_copy> copy(r); }(), std::runtime_error);
        CHECK(throws_on_copy::live == 4);  // the two copies made were destroyed (ASan: storage freed)
    }
    CHECK(throws_on_copy::live == 0);
}

TEST_CASE("ring_buffer: bad input") {
    CHECK_THROWS_WITH_AS(vecta::ring_buffer<int>(0), doctest::Contains("capacity"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::ring_buffer<int>(SIZE_MAX), doctest::Contains("capacity"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::ring_buffer<int>(4, static_cast<vecta::full_policy>(7)), doctest::Contains("policy"),
                         vecta::invalid_argument);
    vecta::ring_buffer<int> r(4);
    CHECK_THROWS_AS(r.at(0), std::out_of_range);
    CHECK_THROWS_AS(r.front(), std::out_of_range);
    CHECK_THROWS_AS(r.back(), std::out_of_range);
    r.push(1);
    CHECK(r.at(0) == 1);
    CHECK_THROWS_AS(r.at(1), std::out_of_range);
    const auto& cr = r;
    CHECK_THROWS_AS(cr.at(4), std::out_of_range);
}

}  // namespace ring_buffer_test
