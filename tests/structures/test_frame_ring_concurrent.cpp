// SPDX-License-Identifier: MIT
// frame_ring with concurrent readers: a writer and 3 reader processes (threads under
// ThreadSanitizer) over 100,000 frames, a writer killed with SIGKILL 1,000 times while a reader
// verifies, readers over random memory, waits with a timeout, exact counts of lost frames.
// Payloads are derived from the frame's sequence number, so a reader checks byte identity with no
// shared state but the ring itself.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <random>
#include <thread>
#include <vecta/structures/frame_ring.hpp>
#include <vector>

#if defined(__SANITIZE_THREAD__)
#define VECTA_TEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define VECTA_TEST_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define VECTA_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VECTA_TEST_ASAN 1
#endif
#endif

namespace {

std::uint64_t mix(std::uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/// Size and bytes of frame `seq`: a pure function of seq.
std::size_t frame_size(std::uint64_t seq, std::size_t max) { return mix(seq ^ 0xABCDEFull) % (max + 1); }
void fill(std::uint64_t seq, std::span<std::byte> out) {
    for (std::size_t i = 0; i < out.size(); i += 8) {
        const std::uint64_t w = mix(seq * 0x100000001B3ull + i);
        std::memcpy(out.data() + i, &w, std::min<std::size_t>(8, out.size() - i));
    }
}
bool same(std::uint64_t seq, std::span<const std::byte> got, std::size_t max) {
    if (got.size() != frame_size(seq, max)) return false;
    for (std::size_t i = 0; i < got.size(); i += 8) {
        const std::uint64_t w = mix(seq * 0x100000001B3ull + i);
        if (std::memcmp(got.data() + i, &w, std::min<std::size_t>(8, got.size() - i)) != 0) return false;
    }
    return true;
}

struct shared_map {
    std::byte* p = nullptr;
    std::size_t n = 0;
    explicit shared_map(std::size_t bytes) : n(bytes) {
        void* m = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        REQUIRE(m != MAP_FAILED);
        p = static_cast<std::byte*>(m);
    }
    ~shared_map() { ::munmap(p, n); }
    std::span<std::byte> span(std::size_t off, std::size_t len) const { return {p + off, len}; }
};

/// What a reader saw, in shared memory.
struct reader_stats {
    std::uint64_t returned = 0, lost = 0, invalidated = 0, torn = 0, order = 0, final_seq = 0;
    std::uint64_t first = 0;          // the oldest frame held when the reader attached (where it starts)
    std::uint64_t first_bad[3] = {};  // expected sequence, sequence returned, lost reported
};

/// Reads until the frame of sequence `total - 1` has been read or counted lost (or `done` says the
/// writer finished and nothing more will come). Zero-copy: compares in place and then asks
/// valid(); `copying`: copy-and-validate. `slow`: sleeps now and then, and once, after its first 8
/// frames, waits until the writer (`pushed`: frames pushed so far, when given) is 4,000 frames
/// ahead, several laps of the ring, so that it surely falls behind (random sleeps alone did not
/// on a loaded machine: the ASan writer kept pace with them).
void read_all(std::span<const std::byte> mem, std::uint64_t total, std::size_t max, bool copying, bool slow,
              reader_stats& st, const std::atomic<std::uint64_t>* pushed = nullptr) {
    vecta::frame_reader r(mem);
    std::vector<std::byte> buf(max);
    std::uint64_t expect = r.next_sequence();
    st.first = expect;
    std::mt19937_64 rng(total + (slow ? 1 : 0) + (copying ? 2 : 0));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (r.next_sequence() < total && std::chrono::steady_clock::now() < deadline) {
        const vecta::frame_read got = r.wait_next(std::chrono::milliseconds(200));
        if (!got) continue;
        st.lost += got.lost;
        if (got.frame.sequence != expect + got.lost) ++st.order;
        expect = got.frame.sequence + 1;
        bool ok;
        if (copying) {
            if (got.frame.data.size() > buf.size()) {
                ++st.torn;
                continue;
            }
            const bool valid = r.copy(got.frame, buf);
            if (!valid) {
                ++st.invalidated;
                continue;
            }
            ok = same(got.frame.sequence, std::span(buf.data(), got.frame.data.size()), max);
        } else {
            ok = same(got.frame.sequence, got.frame.data, max);
            if (!r.valid(got.frame)) {
                ++st.invalidated;
                continue;
            }
        }
        if (!ok) ++st.torn;
        ++st.returned;
        if (slow && rng() % 64 == 0) std::this_thread::sleep_for(std::chrono::microseconds(rng() % 3000));
        if (slow && pushed && st.returned == 8) {
            const std::uint64_t ahead = std::min<std::uint64_t>(total, r.next_sequence() + 4000);
            while (pushed->load(std::memory_order_acquire) < ahead && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    CHECK(r.lost() == st.lost);
    st.final_seq = r.next_sequence();
}

void write_all(std::span<std::byte> mem, std::uint64_t total, std::size_t max,
               std::atomic<std::uint64_t>* pushed = nullptr) {
    vecta::frame_ring w = vecta::frame_ring::attach(mem);
    std::vector<std::byte> buf(max);
    for (std::uint64_t s = w.next_sequence(); s < total; ++s) {
        const std::size_t n = frame_size(s, max);
        fill(s, std::span(buf.data(), n));
        w.push(s, std::span(buf.data(), n));
        if (pushed) pushed->store(s + 1, std::memory_order_release);
        if (s % 16 == 0) std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
}

void check_stats(const reader_stats& st, std::uint64_t total, const char* who) {
    INFO(std::string(who));
    CHECK(st.torn == 0);
    CHECK(st.order == 0);
    if (st.order)
        MESSAGE("first out of order: expected " << st.first_bad[0] << ", got " << st.first_bad[1] << " with lost "
                                                << st.first_bad[2]);
    CHECK(st.final_seq == total);
    // Every frame is either returned intact, counted lost by the reader, or was overwritten while
    // the reader was using it (valid() false): nothing unaccounted for.
    CHECK(st.returned + st.lost + st.invalidated == total - st.first);
    MESSAGE(std::string(who) << ": returned " << st.returned << ", lost " << st.lost << ", invalidated "
                             << st.invalidated);
}

}  // namespace

TEST_CASE("frame_ring: one writer and 3 concurrent readers over 100,000 frames of random sizes") {
#if defined(VECTA_TEST_TSAN)
    constexpr std::uint64_t total = 5000;
#elif defined(VECTA_TEST_ASAN)
    constexpr std::uint64_t total = 30000;
#else
    constexpr std::uint64_t total = 100000;
#endif
#if defined(VECTA_TEST_TSAN)
    constexpr std::size_t max = 16384, data_bytes = 1 << 20;  // fewer frames: a smaller ring, still lapped
#else
    constexpr std::size_t max = 16384, data_bytes = 8 << 20;
#endif
    const std::size_t ring_bytes = vecta::frame_ring::header_bytes + data_bytes;
    shared_map map(ring_bytes + 4096);
    auto mem = map.span(0, ring_bytes);
    auto* stats = reinterpret_cast<reader_stats*>(map.p + ring_bytes);
    static_assert(3 * sizeof(reader_stats) <= 2048 && std::atomic<std::uint64_t>::is_always_lock_free);
    auto* pushed = new (map.p + ring_bytes + 2048) std::atomic<std::uint64_t>(0);  // shared across fork
    vecta::frame_ring{mem};                                                        // formats; the writer attaches
    const bool copying[3] = {false, true, false}, slow[3] = {false, false, true};
#if defined(VECTA_TEST_TSAN)
    // ThreadSanitizer does not follow fork: threads over the same memory.
    std::vector<std::thread> readers;
    for (int i = 0; i < 3; ++i)
        readers.emplace_back([&, i] { read_all(mem, total, max, copying[i] || true, slow[i], stats[i], pushed); });
    write_all(mem, total, max, pushed);
    for (auto& t : readers) t.join();
#else
    pid_t pids[3];
    for (int i = 0; i < 3; ++i) {
        pids[i] = ::fork();
        REQUIRE(pids[i] >= 0);
        if (pids[i] == 0) {
            read_all(mem, total, max, copying[i], slow[i], stats[i], pushed);
            ::_exit(0);
        }
    }
    write_all(mem, total, max, pushed);
    for (int i = 0; i < 3; ++i) {
        int status = 0;
        REQUIRE(::waitpid(pids[i], &status, 0) == pids[i]);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
#endif
    const char* names[3] = {"reader 0 (in place)", "reader 1 (copy)", "reader 2 (slow, in place)"};
    for (int i = 0; i < 3; ++i) check_stats(stats[i], total, names[i]);
#if !defined(VECTA_TEST_TSAN)  // (under TSan the instrumented writer is slower than the slow reader)
    CHECK(stats[2].lost > 0);  // the slow one fell behind and was told so
#endif
}

TEST_CASE("frame_ring: a writer killed with SIGKILL at random points; the next one repairs and continues") {
#if defined(VECTA_TEST_TSAN)
    MESSAGE("skipped under ThreadSanitizer (fork and SIGKILL of a writer process)");
#else
#if defined(VECTA_TEST_ASAN)
    constexpr int kills = 200;
#else
    constexpr int kills = 1000;
#endif
    constexpr std::size_t max = 32768, data_bytes = 256 * 1024;
    const std::size_t ring_bytes = vecta::frame_ring::header_bytes + data_bytes;
    shared_map map(ring_bytes + 4096);
    auto mem = map.span(0, ring_bytes);
    auto* progress = reinterpret_cast<std::uint64_t*>(map.p + ring_bytes);        // pushes returned
    auto* total_word = reinterpret_cast<std::uint64_t*>(map.p + ring_bytes + 8);  // final count
    static std::uint64_t* at_hook;                                                // the child stopped at its hook point
    at_hook = reinterpret_cast<std::uint64_t*>(map.p + ring_bytes + 16);
    auto* stats = reinterpret_cast<reader_stats*>(map.p + ring_bytes + 64);
    auto at = [](std::uint64_t* w) { return std::atomic_ref<std::uint64_t>(*w); };
    vecta::frame_ring{mem};
    at(total_word).store(~std::uint64_t{0});

    // The verifying reader: reads through every kill until the final count is known.
    const pid_t reader = ::fork();
    REQUIRE(reader >= 0);
    if (reader == 0) {
        vecta::frame_reader r(mem);
        reader_stats& st = *stats;
        std::uint64_t expect = st.first = r.next_sequence();
        for (;;) {
            const std::uint64_t total = at(total_word).load();
            if (r.next_sequence() >= total) break;
            const vecta::frame_read got = r.wait_next(std::chrono::milliseconds(50));
            if (!got) continue;
            if (got.frame.sequence != expect + got.lost && st.order++ == 0) {
                st.first_bad[0] = expect;
                st.first_bad[1] = got.frame.sequence;
                st.first_bad[2] = got.lost;
            }
            expect = got.frame.sequence + 1;
            const bool ok = same(got.frame.sequence, got.frame.data, max);
            if (!r.valid(got.frame)) {
                ++st.invalidated;
                continue;
            }
            if (!ok) ++st.torn;
            ++st.returned;
        }
        st.final_seq = r.next_sequence();
        st.lost = r.lost();
        ::_exit(0);
    }

    std::mt19937_64 rng(17);
    std::uint64_t repairs_seen = 0;
    int hooked[3] = {};  // kills at each hook point
    bool committed_lost = false, bad_frame = false;
    for (int k = 0; k < kills; ++k) {
        // 1 round in 4: a kill at a random time; else stopped at a hook point inside a push (the
        // head update, the record half-written, written but not committed) after a few pushes.
        const int mode = k % 4 == 0 ? -1 : k % 4 - 1;
        const std::uint64_t after = rng() % 20;
        at(at_hook).store(0);
        const pid_t w = ::fork();
        REQUIRE(w >= 0);
        if (w == 0) {
            static int stop_point;
            static std::uint64_t pushes_left;
            stop_point = mode;
            pushes_left = after;
            if (mode >= 0)
                vecta::detail::frame_ring_test_hook = [](int point) {
                    if (point != stop_point || pushes_left > 0) return;
                    std::atomic_ref<std::uint64_t>(*at_hook).store(1);
                    for (;;) ::pause();
                };
            vecta::frame_ring ring = vecta::frame_ring::attach(mem);
            std::vector<std::byte> buf(max);
            for (std::uint64_t s = ring.next_sequence();; ++s) {
                const std::size_t n = frame_size(s, max);
                fill(s, std::span(buf.data(), n));
                ring.push(s, std::span(buf.data(), n));
                at(progress).store(s + 1);
                if (pushes_left > 0) --pushes_left;
            }
        }
        if (mode < 0) {
            std::this_thread::sleep_for(std::chrono::microseconds(rng() % 2500));
        } else {
            const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
            while (at(at_hook).load() == 0 && std::chrono::steady_clock::now() < give_up)
                std::this_thread::sleep_for(std::chrono::microseconds(20));
            if (at(at_hook).load()) ++hooked[mode];
        }
        ::kill(w, SIGKILL);
        int status = 0;
        REQUIRE(::waitpid(w, &status, 0) == w);
        // The next writer: repairs; every push that returned is still there, frames are intact.
        const vecta::frame_ring ring = vecta::frame_ring::attach(mem);
        const std::uint64_t done = at(progress).load();
        if (ring.next_sequence() < done || ring.next_sequence() > done + 1) {
            committed_lost = true;
            MESSAGE("kill " << k << ": pushes returned " << done << ", frames after repair " << ring.next_sequence());
        }
        std::uint64_t expect = ring.next_sequence() - ring.size();
        for (const vecta::frame_view f : ring) {
            if (f.sequence != expect++ || f.timestamp != f.sequence || !same(f.sequence, f.data, max)) bad_frame = true;
        }
        // A push commits before it returns (its wake-up call may be what the kill interrupts):
        // count from what this repair found, so each round allows exactly one unreported push.
        at(progress).store(ring.next_sequence());
        repairs_seen = ring.repairs();
    }
    const std::uint64_t total = vecta::frame_ring::attach(mem).next_sequence();
    at(total_word).store(total);
    int status = 0;
    REQUIRE(::waitpid(reader, &status, 0) == reader);
    CHECK(WIFEXITED(status));
    CHECK_FALSE(committed_lost);
    CHECK_FALSE(bad_frame);
    CHECK(vecta::frame_ring::attach(mem).size() > 0);
    // Many kills hit a push in progress (an odd tag left behind and discarded by the repair).
    MESSAGE("kills " << kills << " (inside the head update " << hooked[0] << ", after the odd tag " << hooked[1]
                     << ", before the commit " << hooked[2] << "), frames pushed " << total
                     << ", half-written records repaired " << repairs_seen);
    CHECK(hooked[0] + hooked[1] + hooked[2] == kills - (kills + 3) / 4);  // every hooked round stopped there
    CHECK(hooked[0] > 0);
    // Every kill after the odd tag leaves a record the next writer discards (random-time kills may add).
    CHECK(repairs_seen >= std::uint64_t(hooked[1] + hooked[2]));
    check_stats(*stats, total, "verifying reader across the kills");
#endif
}

TEST_CASE("frame_ring: readers and attach over random memory never crash or hang") {
    std::mt19937_64 rng(3);
    std::vector<std::uint64_t> words(1 + 4096 / 8);
#if defined(VECTA_TEST_TSAN) || defined(VECTA_TEST_ASAN)
    constexpr int rounds = 400;
#else
    constexpr int rounds = 3000;
#endif
    for (int round = 0; round < rounds; ++round) {
        const std::size_t bytes = 160 + rng() % 3900 / 8 * 8;
        auto* p = reinterpret_cast<std::byte*>(words.data());
        for (std::size_t i = 0; i < bytes / 8; ++i) {
            // Mostly small numbers (plausible sizes, tags, positions), some random words.
            const std::uint64_t r = rng();
            words[i] = r % 4 == 0 ? r : (r % 4 == 1 ? (r >> 2) % 512 : (r >> 2) % 64 * 2 + 2 + r % 2);
        }
        const std::span<std::byte> mem(p, bytes);
        if (round % 2 == 0) {  // a valid header over random contents, the interesting case
            words[0] = vecta::frame_ring::magic;
            words[1] = 2 | (128ull << 32);
            words[2] = std::min<std::uint64_t>((bytes - 128) / 8 * 8, 32 + rng() % 2048 / 8 * 8);
        }
        const std::byte* lo = p + 128;
        const std::byte* hi = p + bytes;
        try {
            vecta::frame_reader r(mem);
            for (int i = 0; i < 40; ++i) {
                try {
                    const auto got = round % 7 == 0 ? r.wait_next(std::chrono::microseconds(10)) : r.try_next();
                    if (got) {
                        REQUIRE(got.frame.data.data() >= lo);
                        REQUIRE(got.frame.data.data() + got.frame.data.size() <= hi);
                    }
                } catch (const vecta::io_error&) {
                }
            }
        } catch (const vecta::io_error&) {
        }
        try {
            vecta::frame_ring w = vecta::frame_ring::attach(mem);
            std::size_t n = 0;
            for (const vecta::frame_view f : w) {
                REQUIRE(f.data.data() >= lo);
                REQUIRE(f.data.data() + f.data.size() <= hi);
                ++n;
            }
            CHECK(n == w.size());
            const std::vector<std::byte> frame(std::min<std::size_t>(w.max_frame_bytes(), rng() % 300));
            w.push(w.empty() ? 0 : w.back().timestamp, frame);
            // Once the writer has repaired it, the ring reads back cleanly.
            vecta::frame_reader r(mem);
            std::size_t read = 0;
            while (auto got = r.try_next()) {
                REQUIRE(got.frame.data.data() + got.frame.data.size() <= hi);
                ++read;
                REQUIRE(read <= w.size());
            }
            CHECK(read == w.size());
        } catch (const vecta::io_error&) {
        }
    }
}

TEST_CASE("frame_reader: exact lost counts, in-place validity, seek_end, timeouts and wake-up") {
    std::vector<std::uint64_t> words((128 + 1024) / 8);
    const std::span<std::byte> mem(reinterpret_cast<std::byte*>(words.data()), 128 + 1024);
    vecta::frame_ring w(mem);
    vecta::frame_reader r(mem);
    CHECK_FALSE(r.try_next());
    const std::byte f100[100] = {};
    for (std::uint64_t t = 0; t < 50; ++t) w.push(t, f100);  // 136-byte records: 7 fit in 1024
    CHECK(w.size() == 7);
    auto got = r.try_next();
    REQUIRE(got);
    CHECK(got.lost == 43);
    CHECK(got.frame.sequence == 43);
    CHECK(got.frame.timestamp == 43);
    CHECK(r.valid(got.frame));
    CHECK(r.available() == 6);
    w.push(50, f100);  // evicts frame 43
    CHECK_FALSE(r.valid(got.frame));
    std::byte out[100];
    CHECK_FALSE(r.copy(got.frame, out));
    auto next = r.try_next();
    REQUIRE(next);
    CHECK(next.lost == 0);
    CHECK(next.frame.sequence == 44);
    CHECK(r.copy(next.frame, out));
    CHECK_THROWS_WITH_AS(r.copy(next.frame, std::span(out, 10)), doctest::Contains("out"), vecta::invalid_argument);
    CHECK(r.lost() == 43);
    CHECK(r.seek_end());
    CHECK_FALSE(r.try_next());
    // A reader started later begins at the oldest frame held.
    vecta::frame_reader late(mem);
    CHECK(late.next_sequence() == w.next_sequence() - w.size());
    // clear(): frames not yet read are lost, sequence numbers go on.
    w.clear();
    w.push(60, f100);
    got = late.try_next();
    REQUIRE(got);
    CHECK(got.frame.sequence == 51);
    CHECK(got.lost == 7);
    got = r.try_next();
    REQUIRE(got);
    CHECK(got.lost == 0);
    CHECK(got.frame.timestamp == 60);
    // Timeout: nothing comes.
    auto t0 = std::chrono::steady_clock::now();
    CHECK_FALSE(r.wait_next(std::chrono::milliseconds(60)));
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(waited >= 0.059);
    CHECK(waited < 4.0);  // generous for loaded sanitizer runs; only "it returned" matters
    // Wake-up: a push from another thread 30 ms later ends the wait early.
    std::thread pusher([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        w.push(70, f100);
    });
    t0 = std::chrono::steady_clock::now();
    got = r.wait_next(std::chrono::seconds(5));
    const double woke = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    pusher.join();
    REQUIRE(got);
    CHECK(got.frame.timestamp == 70);
    CHECK(woke < 4.5);  // woken by the push, not by the 5 s timeout
    // Reformatting the memory: readers start over at the new ring.
    vecta::frame_ring again(mem);
    again.push(1, f100);
    got = r.try_next();
    REQUIRE(got);
    CHECK(got.frame.sequence == 0);
    // Bad memory.
    CHECK_THROWS_WITH_AS(vecta::frame_reader(mem.first(100)), doctest::Contains("memory"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::frame_reader(mem.subspan(4, 500)), doctest::Contains("aligned"),
                         vecta::invalid_argument);
    std::vector<std::uint64_t> zeros(64);
    CHECK_THROWS_WITH_AS(vecta::frame_reader(std::as_bytes(std::span(zeros))), doctest::Contains("magic"),
                         vecta::io_error);
}
