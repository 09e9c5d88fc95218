// SPDX-License-Identifier: MIT
// vecta/structures/frame_ring.hpp - variable-length timestamped byte frames in a fixed byte ring over
// caller-provided memory, for ONE writer and any number of concurrent readers in other processes
// (shared memory: mmap of a file, shm_open, MAP_SHARED|MAP_ANONYMOUS before fork).
//
// Memory layout, version 2 (magic "VECTAFR2"; all integers 64-bit host-endian, 8-byte aligned):
//   [0, 128)      header: 0 magic, 8 version | header size << 32, 16 data capacity C (multiple of 8),
//                 24 header sequence (odd while the writer updates the words below), 32 head position,
//                 40 head sequence, 48 tail position, 56 next sequence, 64 newest position,
//                 72 last timestamp, 80 repairs (in-progress records discarded by attach),
//                 88 notify (u32 futex word, +1 per push), 96 wrap sequence (the last frame that
//                 was moved to offset 0 because it did not fit before the end; ~0: none), rest zero.
//   [128, 128+C)  records { u64 tag; u64 size; u64 timestamp; payload; zero pad to 8; u64 tag }.
// Positions are monotonic byte counts (offset = position % C); frame sequence numbers count the
// frames pushed since formatting. The tag of frame s is 2s+1 while it is written and 2s+2 once
// committed; the trailing copy is written before the leading one turns even. A record is never
// split at the end of the data area: it then starts at offset 0 and the header's wrap sequence
// names it (the frames held span at most one wrap, so one word says where each one starts: at the
// end of the previous record, or for the wrap frame at the next multiple of C). head..tail holds
// frames [head sequence, next sequence).
//
// Protocol (ideas from seqlocks, Lameter 2005 / Boehm, "Can seqlocks get along with programming
// language memory models?", MSPC 2012; the LMAX disruptor's sequence-numbered slots, Thompson et al.
// 2011; Aeron's log buffers: a writer that never waits for readers and readers that detect being
// lapped by position; no code taken from any of them):
// - push: evict the oldest frames until the new record fits; publish the new head (sequence then
//   position, inside the header seqlock) BEFORE touching the bytes; write the record with an odd
//   tag, the payload, the trailing tag, then the even tag; publish tail / next sequence (release);
//   bump the futex word and FUTEX_WAKE. The writer never reads or waits on readers: lock-free.
// - read: a reader holds a cursor (position, sequence). A frame s < next sequence is read at the
//   cursor; tag, size and trailing tag are checked against the data area bounds; then, after an
//   acquire fence, head sequence <= s proves nothing overwrote it. Otherwise the reader jumps to
//   the head (a header-seqlock snapshot) and counts head sequence - s frames as lost: exact.
// - crash: a writer killed mid-push leaves an odd tag (or an odd header sequence); the next writer
//   (attach) walks the chain of committed records from the head, discards what follows, and
//   republishes the header. Committed frames survive.
// - untrusted memory: every value read from the memory is bounds-checked before use; readers
//   never write to it (they may map it read-only) and never loop more than a fixed number of times
//   per call.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "../core/error.hpp"

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#endif

#if defined(__SANITIZE_THREAD__)
#define VECTA_DETAIL_FRAME_RING_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define VECTA_DETAIL_FRAME_RING_TSAN 1
#endif
#endif

namespace vecta {

/// One frame: its timestamp, its bytes in place in the ring, and its sequence number (frames
/// pushed before it since the memory was formatted).
struct frame_view {
    std::uint64_t timestamp = 0;
    std::span<const std::byte> data;
    std::uint64_t sequence = 0;
};

/// What frame_reader::try_next / wait_next return: a frame when `ok`, and the number of frames
/// that were overwritten before this reader got to them since its previous successful read.
struct frame_read {
    frame_view frame;
    std::uint64_t lost = 0;
    bool ok = false;
    explicit operator bool() const noexcept { return ok; }
};

namespace detail {

/// Words of a frame_ring memory (layout in the file comment). Every access is an atomic_ref on an
/// 8-byte aligned word, bounded by the capacity the handle validated against its memory size.
class frame_ring_memory {
public:
    static constexpr std::uint64_t magic = 0x325246415443'4556ull;  // "VECTAFR2" read little-endian
    static constexpr std::uint32_t version = 2;
    static constexpr std::size_t header_bytes = 128;
    static constexpr std::size_t record_overhead_bytes = 32;  // tag, size, timestamp, trailing tag
    static constexpr std::uint64_t max_sequence = std::uint64_t{1} << 61;
    static constexpr std::size_t off_magic = 0, off_version = 8, off_capacity = 16, off_hseq = 24, off_head = 32,
                                 off_head_seq = 40, off_tail = 48, off_next_seq = 56, off_newest = 64, off_last_ts = 72,
                                 off_repairs = 80, off_notify = 88, off_wrap_seq = 96;

    static constexpr std::uint64_t round8(std::uint64_t n) noexcept { return (n + 7) / 8 * 8; }
    static constexpr std::uint64_t committed(std::uint64_t s) noexcept { return 2 * s + 2; }

    static void check_memory(std::size_t size, const void* p, const char* fn) {
        detail::require(reinterpret_cast<std::uintptr_t>(p) % 8 == 0, fn, "memory", "must be 8-byte aligned");
        detail::require(size >= header_bytes + record_overhead_bytes, fn, "memory",
                        "must hold the 128-byte header and at least 32 data bytes");
    }
    /// Validates magic, version, header size and capacity against `size`; sets cap_.
    void open(const char* fn, std::size_t size) {
        auto fail = [fn](const char* what) { throw io_error(std::string(fn) + ": " + what); };
        if (get(off_magic) != magic) fail("bad magic (not a frame_ring)");
        const std::uint64_t vh = get(off_version);
        if ((vh & 0xffffffffu) != version) fail("unsupported version");
        if ((vh >> 32) != header_bytes) fail("header size mismatch");
        const std::uint64_t cap = get(off_capacity);
        if (cap < record_overhead_bytes || cap % 8 != 0 || cap > size - header_bytes)
            fail("capacity does not match the memory");
        cap_ = cap;
    }

    std::uint64_t* word_at(std::size_t off) const noexcept {
        return std::launder(reinterpret_cast<std::uint64_t*>(base_ + off));
    }
    std::uint64_t get(std::size_t off, std::memory_order o = std::memory_order_relaxed) const noexcept {
        return std::atomic_ref<std::uint64_t>(*word_at(off)).load(o);
    }
    void set(std::size_t off, std::uint64_t v, std::memory_order o = std::memory_order_relaxed) const noexcept {
        std::atomic_ref<std::uint64_t>(*word_at(off)).store(v, o);
    }
    std::uint32_t* notify_word() const noexcept {
        return std::launder(reinterpret_cast<std::uint32_t*>(base_ + off_notify));
    }
    // Data-area words at a logical position (any value: reduced modulo the capacity, 8-aligned).
    std::size_t data_off(std::uint64_t pos) const noexcept {
        return header_bytes + static_cast<std::size_t>(pos % cap_ / 8 * 8);
    }
    std::uint64_t word(std::uint64_t pos, std::memory_order o = std::memory_order_relaxed) const noexcept {
        return get(data_off(pos), o);
    }
    void put(std::uint64_t pos, std::uint64_t v, std::memory_order o = std::memory_order_relaxed) const noexcept {
        set(data_off(pos), v, o);
    }
    /// Bytes left before the end of the data area at `pos`.
    std::uint64_t room(std::uint64_t pos) const noexcept { return cap_ - pos % cap_; }
    /// The next multiple of the capacity at or after `pos`: where a wrapped record starts.
    std::uint64_t wrapped(std::uint64_t pos) const noexcept { return pos % cap_ == 0 ? pos : pos + room(pos); }
    /// Where frame s starts when the previous record ends at `pos`.
    static std::uint64_t start_of(const frame_ring_memory& m, std::uint64_t pos, std::uint64_t s,
                                  std::uint64_t wrap_seq) noexcept {
        return s == wrap_seq ? m.wrapped(pos) : pos;
    }
    /// Size of the committed record of frame `s` at `pos` (already resolved), or ~0 when the words
    /// there do not form one: tag, size within the area, trailing tag.
    std::uint64_t record_size(std::uint64_t pos, std::uint64_t s) const noexcept {
        const std::uint64_t r = room(pos);
        if (pos % 8 != 0 || r < record_overhead_bytes) return ~std::uint64_t{0};
        if (word(pos, std::memory_order_acquire) != committed(s)) return ~std::uint64_t{0};
        const std::uint64_t n = word(pos + 8);
        if (n > r - record_overhead_bytes || round8(n) > r - record_overhead_bytes) return ~std::uint64_t{0};
        if (word(pos + 24 + round8(n)) != committed(s)) return ~std::uint64_t{0};
        return n;
    }
    /// Copies bytes out of / into the data area (payloads never cross its end). Word-wise atomic
    /// under ThreadSanitizer (the racy-by-design seqlock reads are then visible to it as atomics).
    void copy_out(std::uint64_t pos, std::byte* out, std::size_t n) const noexcept {
#ifdef VECTA_DETAIL_FRAME_RING_TSAN
        for (std::size_t i = 0; i < n; i += 8) {
            const std::uint64_t w = word(pos + i);
            std::memcpy(out + i, &w, n - i < 8 ? n - i : 8);
        }
#else
        if (n) std::memcpy(out, base_ + data_off(pos), n);
#endif
    }
    void copy_in(std::uint64_t pos, const std::byte* in, std::size_t n) const noexcept {
        const std::size_t whole = n / 8 * 8;
#ifdef VECTA_DETAIL_FRAME_RING_TSAN
        for (std::size_t i = 0; i < whole; i += 8) {
            std::uint64_t w;
            std::memcpy(&w, in + i, 8);
            put(pos + i, w);
        }
#else
        if (whole) std::memcpy(base_ + data_off(pos), in, whole);
#endif
        if (whole < n) {  // the last partial word with zero padding
            std::uint64_t w = 0;
            std::memcpy(&w, in + whole, n - whole);
            put(pos + whole, w);
        }
    }

    struct head_snapshot {
        std::uint64_t head, head_seq, tail, next_seq;
    };
    /// A consistent copy of head / tail (header seqlock); false when the writer is updating them
    /// (or died doing so) for 16 tries in a row.
    bool snapshot(head_snapshot& s) const noexcept {
        for (int i = 0; i < 16; ++i) {
            const std::uint64_t h1 = get(off_hseq, std::memory_order_acquire);
            if (h1 % 2 == 0) {
                s = {get(off_head), get(off_head_seq), get(off_tail), get(off_next_seq)};
                std::atomic_thread_fence(std::memory_order_acquire);
                if (get(off_hseq) == h1) return true;
            }
            if (i >= 4) std::this_thread::yield();
        }
        return false;
    }

    std::byte* base_ = nullptr;
    std::uint64_t cap_ = 0;
};

/// Test hook: when set, frame_ring::push calls it at three points (0: inside the head update, the
/// header sequence odd; 1: the record's odd tag written, before the payload; 2: the payload and
/// trailing tag written, before the commit), so a test can kill a writer exactly there.
inline void (*frame_ring_test_hook)(int point) = nullptr;

#if defined(__linux__)
inline void futex_wake_all(std::uint32_t* w) noexcept {
    ::syscall(SYS_futex, w, FUTEX_WAKE, 0x7fffffff, nullptr, nullptr, 0);  // shared: no PRIVATE flag
}
inline void futex_wait(const std::uint32_t* w, std::uint32_t expected, std::chrono::nanoseconds t) noexcept {
    timespec ts{static_cast<time_t>(t.count() / 1000000000), static_cast<long>(t.count() % 1000000000)};
    ::syscall(SYS_futex, const_cast<std::uint32_t*>(w), FUTEX_WAIT, expected, &ts, nullptr, 0);
}
#endif

}  // namespace detail

/// The writer of a frame ring over caller-provided memory (layout and protocol in the file
/// comment). One writer per memory at a time, in any process; a frame_ring is move-only and keeps
/// its own copy of the ring state, so nothing another process writes can steer it out of bounds.
/// Concurrent readers use frame_reader. Iteration, front/back and find on the writer read in place
/// and are meant for the writer's own thread (spans valid until the next push or clear).
class frame_ring {
public:
    static constexpr std::uint64_t magic = detail::frame_ring_memory::magic;
    static constexpr std::uint32_t version = detail::frame_ring_memory::version;
    /// Bytes of the header at the start of the memory.
    static constexpr std::size_t header_bytes = detail::frame_ring_memory::header_bytes;
    /// Bytes a record adds to its payload (tag, size, timestamp, trailing tag), before padding.
    static constexpr std::size_t record_overhead_bytes = detail::frame_ring_memory::record_overhead_bytes;
    /// Smallest memory: the header and one empty record.
    static constexpr std::size_t min_memory_bytes = header_bytes + record_overhead_bytes;
    /// Required alignment of the memory; payloads start at 8-byte aligned addresses.
    static constexpr std::size_t alignment = 8;

    /// Formats `memory` as an empty ring (previous contents discarded; readers still attached
    /// start over from the new ring's first frame). The data capacity is (memory.size() - 128)
    /// rounded down to a multiple of 8. Throws vecta::invalid_argument ("memory") when memory is
    /// not 8-byte aligned or smaller than min_memory_bytes. O(1).
    explicit frame_ring(std::span<std::byte> memory) {
        using m = detail::frame_ring_memory;
        m::check_memory(memory.size(), memory.data(), "vecta::frame_ring");
        mem_.base_ = memory.data();
        mem_.cap_ = (memory.size() - header_bytes) / 8 * 8;
        begin_header();
        for (std::size_t off = m::off_head; off < header_bytes; off += 8)
            if (off != m::off_hseq) mem_.set(off, 0);
        mem_.set(m::off_version, std::uint64_t{version} | (std::uint64_t{header_bytes} << 32));
        mem_.set(m::off_capacity, mem_.cap_);
        mem_.set(m::off_wrap_seq, ~std::uint64_t{0});
        mem_.put(0, 0);  // no stale record where the first one goes (attach would count it committed)
        mem_.set(m::off_magic, magic);
        end_header();
        wake();
    }

    /// Becomes the writer of a ring formatted in `memory` (maybe by a writer that died): validates
    /// the header, walks the committed records from the head (tags, sizes, trailing tags,
    /// timestamps, at most the capacity), discards a record left half-written by a killed writer
    /// and everything after the first invalid record, and republishes the header. Committed frames
    /// of a killed writer survive. Throws vecta::io_error when the magic, version, header size or
    /// capacity do not match; vecta::invalid_argument ("memory") as the constructor. O(frames).
    static frame_ring attach(std::span<std::byte> memory) {
        using m = detail::frame_ring_memory;
        m::check_memory(memory.size(), memory.data(), "vecta::frame_ring::attach");
        frame_ring r;
        r.mem_.base_ = memory.data();
        r.mem_.open("vecta::frame_ring::attach", memory.size());
        r.repair();
        return r;
    }

    /// Moves the writer role: o is left detached from the memory (size() 0, capacity_bytes() 0,
    /// clear() does nothing, push() throws vecta::invalid_argument "*this"), so there is never a
    /// second writer handle on one ring. Iterators taken from o before the move are invalidated.
    frame_ring(frame_ring&& o) noexcept { take(o); }
    frame_ring& operator=(frame_ring&& o) noexcept {
        if (this != &o) take(o);
        return *this;
    }
    frame_ring(const frame_ring&) = delete;
    frame_ring& operator=(const frame_ring&) = delete;

    /// Appends a frame with `timestamp` (timestamps must not decrease while the ring holds frames),
    /// evicting the oldest frames until it fits, and wakes waiting readers. Returns the number of
    /// frames evicted. O(frame bytes + evicted frames); never waits. Throws vecta::invalid_argument
    /// for a frame larger than max_frame_bytes() ("frame") or a timestamp below the newest frame's
    /// ("timestamp"); the ring is unchanged then.
    std::size_t push(std::uint64_t timestamp, std::span<const std::byte> frame) {
        using m = detail::frame_ring_memory;
        detail::require(mem_.base_ != nullptr, "vecta::frame_ring::push", "*this",
                        "must not be a moved-from frame_ring (it has no memory)");
        detail::require(frame.size() <= max_frame_bytes(), "vecta::frame_ring::push", "frame",
                        "must be <= max_frame_bytes() (capacity - 32 bytes)");
        detail::require(empty() || timestamp >= last_ts_, "vecta::frame_ring::push", "timestamp",
                        "must be >= the newest frame's timestamp");
        const std::uint64_t s = next_seq_, n = frame.size(), rec = record_bytes(frame.size());
        const std::uint64_t room = mem_.room(tail_);
        const std::uint64_t start = room < rec ? tail_ + room : tail_, end = start + rec;
        std::uint64_t h = head_, hs = head_seq_;
        while (hs < s && end - h > mem_.cap_) {
            const std::uint64_t size = mem_.record_size(h, hs);
            if (size == ~std::uint64_t{0}) {  // our records were overwritten by someone: drop them all
                hs = s;
                break;
            }
            h += record_bytes(static_cast<std::size_t>(size));
            if (++hs < s) h = m::start_of(mem_, h, hs, wrap_seq_);
        }
        if (hs == s) h = start;
        const auto evicted = static_cast<std::size_t>(hs - head_seq_);
        if (h != head_ || hs != head_seq_) {
            begin_header();
            mem_.set(m::off_head_seq, hs);
            if (detail::frame_ring_test_hook) detail::frame_ring_test_hook(0);
            mem_.set(m::off_head, h);
            end_header();
            head_ = h;
            head_seq_ = hs;
        }
        std::atomic_thread_fence(std::memory_order_release);  // the new head before any overwrite
        if (start != tail_) {
            mem_.set(m::off_wrap_seq, s);
            wrap_seq_ = s;
        }
        mem_.put(start, 2 * s + 1);
        mem_.put(start + 8, n);
        mem_.put(start + 16, timestamp);
        std::atomic_thread_fence(std::memory_order_release);  // the odd tag before the payload
        if (detail::frame_ring_test_hook) detail::frame_ring_test_hook(1);
        mem_.copy_in(start + 24, frame.data(), frame.size());
        mem_.put(start + 24 + m::round8(n), m::committed(s));
        if (detail::frame_ring_test_hook) detail::frame_ring_test_hook(2);
        mem_.put(start, m::committed(s), std::memory_order_release);
        begin_header();
        mem_.set(m::off_tail, end);
        mem_.set(m::off_newest, start);
        mem_.set(m::off_last_ts, timestamp);
        mem_.set(m::off_next_seq, s + 1, std::memory_order_release);
        end_header();
        tail_ = end;
        newest_ = start;
        last_ts_ = timestamp;
        next_seq_ = s + 1;
        clear_next_tag();
        wake();
        return evicted;
    }

    /// Removes every frame (readers count them as lost if they had not read them). Sequence
    /// numbers go on. O(1).
    void clear() noexcept {
        using m = detail::frame_ring_memory;
        if (mem_.base_ == nullptr) return;  // moved-from
        begin_header();
        mem_.set(m::off_head_seq, next_seq_);
        mem_.set(m::off_head, tail_);
        end_header();
        head_ = tail_;
        head_seq_ = next_seq_;
    }

    /// Forward iterator over the frames held, oldest to newest (value frame_view, in place).
    class iterator {
    public:
        using iterator_concept = std::forward_iterator_tag;
        using iterator_category = std::input_iterator_tag;  // dereferences to a value
        using value_type = frame_view;
        using difference_type = std::ptrdiff_t;
        using reference = frame_view;
        using pointer = void;

        iterator() noexcept = default;
        frame_view operator*() const noexcept { return r_->frame_at(pos_, seq_); }
        iterator& operator++() noexcept {
            pos_ += record_bytes(static_cast<std::size_t>(r_->size_at(pos_)));
            if (++seq_ < r_->next_seq_) pos_ = detail::frame_ring_memory::start_of(r_->mem_, pos_, seq_, r_->wrap_seq_);
            return *this;
        }
        iterator operator++(int) noexcept {
            iterator t = *this;
            ++*this;
            return t;
        }
        friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.seq_ == b.seq_; }

    private:
        friend class frame_ring;
        iterator(const frame_ring* r, std::uint64_t pos, std::uint64_t s) noexcept : r_(r), pos_(pos), seq_(s) {}
        const frame_ring* r_ = nullptr;
        std::uint64_t pos_ = 0, seq_ = 0;
    };

    iterator begin() const noexcept { return {this, head_, head_seq_}; }
    iterator end() const noexcept { return {this, tail_, next_seq_}; }

    /// First frame (oldest to newest) with timestamp >= t, or end(). O(frames).
    iterator lower_bound(std::uint64_t t) const noexcept {
        auto it = begin();
        for (const auto e = end(); it != e && (*it).timestamp < t; ++it) {
        }
        return it;
    }
    /// First frame with timestamp == t, or end(). O(frames).
    iterator find(std::uint64_t t) const noexcept {
        auto it = lower_bound(t);
        return it != end() && (*it).timestamp == t ? it : end();
    }

    /// Oldest / newest frame. Throws std::out_of_range when empty.
    frame_view front() const {
        if (empty()) throw std::out_of_range("vecta::frame_ring::front: the ring is empty");
        return frame_at(head_, head_seq_);
    }
    frame_view back() const {
        if (empty()) throw std::out_of_range("vecta::frame_ring::back: the ring is empty");
        return frame_at(newest_, next_seq_ - 1);
    }

    /// Number of frames held.
    std::size_t size() const noexcept { return static_cast<std::size_t>(next_seq_ - head_seq_); }
    bool empty() const noexcept { return next_seq_ == head_seq_; }
    /// Bytes of the data area (records and padding).
    std::size_t capacity_bytes() const noexcept { return static_cast<std::size_t>(mem_.cap_); }
    /// Bytes between the oldest record and the end of the newest (records plus the padding skipped
    /// at the wrap).
    std::size_t used_bytes() const noexcept { return empty() ? 0 : static_cast<std::size_t>(tail_ - head_); }
    /// Largest frame push accepts: capacity_bytes() - 32.
    std::size_t max_frame_bytes() const noexcept {
        return mem_.cap_ == 0 ? 0 : capacity_bytes() - record_overhead_bytes;  // 0 when moved-from
    }
    /// Sequence number the next push gets (frames pushed since the memory was formatted).
    std::uint64_t next_sequence() const noexcept { return next_seq_; }
    /// Half-written records discarded by attach() over the ring's life (killed writers).
    std::uint64_t repairs() const noexcept {
        return mem_.base_ == nullptr ? 0 : mem_.get(detail::frame_ring_memory::off_repairs);
    }
    /// Bytes one frame of n payload bytes occupies: 32 + n rounded up to 8 (plus possible padding
    /// at the wrap).
    static constexpr std::size_t record_bytes(std::size_t n) noexcept {
        return record_overhead_bytes + (n + 7) / 8 * 8;
    }

private:
    frame_ring() = default;

    // The move: takes o's memory and state, leaves o as a default (detached) handle.
    void take(frame_ring& o) noexcept {
        mem_ = std::exchange(o.mem_, detail::frame_ring_memory{});
        head_ = std::exchange(o.head_, 0);
        head_seq_ = std::exchange(o.head_seq_, 0);
        tail_ = std::exchange(o.tail_, 0);
        next_seq_ = std::exchange(o.next_seq_, 0);
        newest_ = std::exchange(o.newest_, 0);
        last_ts_ = std::exchange(o.last_ts_, 0);
        wrap_seq_ = std::exchange(o.wrap_seq_, ~std::uint64_t{0});
    }

    void begin_header() const noexcept {
        const std::uint64_t h = mem_.get(detail::frame_ring_memory::off_hseq);
        mem_.set(detail::frame_ring_memory::off_hseq, (h | 1) + 2);  // odd
        std::atomic_thread_fence(std::memory_order_release);
    }
    void end_header() const noexcept {
        const std::uint64_t h = mem_.get(detail::frame_ring_memory::off_hseq);
        mem_.set(detail::frame_ring_memory::off_hseq, h + 1, std::memory_order_release);  // even
    }
    // Zeroes the word where the next record will start (free space unless the ring is exactly full),
    // so that attach never takes stale bytes there (an older ring's record) for a frame a killed
    // writer committed but did not publish.
    void clear_next_tag() const noexcept {
        if (tail_ - head_ + 8 <= mem_.cap_) mem_.put(tail_, 0);
    }
    void wake() const noexcept {
        std::atomic_ref<std::uint32_t>(*mem_.notify_word()).fetch_add(1, std::memory_order_seq_cst);
#if defined(__linux__)
        detail::futex_wake_all(mem_.notify_word());
#endif
    }
    // The writer's own records; sizes are clamped to the area so a corrupted word cannot send a
    // read out of bounds.
    std::uint64_t size_at(std::uint64_t pos) const noexcept {
        const std::uint64_t n = mem_.word(pos + 8), r = mem_.room(pos);
        return r < record_overhead_bytes ? 0 : std::min(n, (r - record_overhead_bytes) / 8 * 8);
    }
    frame_view frame_at(std::uint64_t pos, std::uint64_t s) const noexcept {
        const auto n = static_cast<std::size_t>(size_at(pos));
        return {mem_.word(pos + 16), {mem_.base_ + mem_.data_off(pos + 24), n}, s};
    }

    void repair() {
        using m = detail::frame_ring_memory;
        const std::uint64_t cap = mem_.cap_;
        // With an even header sequence the head words agree; an odd one means the writer died
        // updating them: the position may still be the previous head (an older frame).
        const bool torn = mem_.get(m::off_hseq) % 2 != 0;
        std::uint64_t h = mem_.get(m::off_head) / 8 * 8, stored_hs = mem_.get(m::off_head_seq),
                      stored_next = mem_.get(m::off_next_seq);
        if (h >= std::uint64_t{1} << 62 || stored_hs >= m::max_sequence || stored_next >= m::max_sequence)
            h = stored_hs = stored_next = 0;  // not a writer's values (2^61 frames): start over
        const std::uint64_t wrap = mem_.get(m::off_wrap_seq);
        // Walks the chain of committed records s0, s0+1, ... from p, at most the capacity.
        struct chain {
            std::uint64_t count = 0, end = 0, newest = 0, last_ts = 0;
            bool discarded = false;
        };
        // A writer publishes each frame before it starts the next, so at most one committed frame
        // lies past the stored next sequence (its writer died before publishing it).
        auto walk = [&](std::uint64_t p, std::uint64_t s0) {
            chain c{0, p, p, 0, false};
            const std::uint64_t limit = (stored_next >= s0 ? stored_next - s0 : 0) + 1;
            for (;;) {
                if (c.count == limit) return c;
                const std::uint64_t q = c.count == 0 ? p : m::start_of(mem_, c.end, s0 + c.count, wrap);
                const std::uint64_t n = mem_.record_size(q, s0 + c.count);
                if (n == ~std::uint64_t{0} || q + record_bytes(static_cast<std::size_t>(n)) - p > cap) {
                    c.discarded = mem_.word(q) == 2 * (s0 + c.count) + 1;
                    return c;
                }
                const std::uint64_t ts = mem_.word(q + 16);
                if (c.count > 0 && ts < c.last_ts) return c;
                c.newest = q;
                c.last_ts = ts;
                c.end = q + record_bytes(static_cast<std::size_t>(n));
                ++c.count;
            }
        };
        std::uint64_t s0 = stored_hs, p = m::start_of(mem_, h, s0, wrap);
        chain c = walk(p, s0);
        const std::uint64_t t0 = mem_.word(h);
        if (torn && c.count == 0 && t0 % 2 == 0 && t0 >= 2 && (t0 - 2) / 2 < stored_hs) {
            // The head position may still name the previous head frame: accept that chain when it
            // reaches the stored head sequence.
            const chain old = walk(h, (t0 - 2) / 2);
            if ((t0 - 2) / 2 + old.count >= stored_hs) {
                s0 = (t0 - 2) / 2;
                p = h;
                c = old;
            }
        }
        std::uint64_t count = c.count, pos = c.end, newest = c.newest, last_ts = c.last_ts;
        const bool discarded = c.discarded;
        if (s0 + count < stored_next) {  // published frames missing (memory damaged): start empty
            s0 = stored_next;
            count = 0;
        }
        // Frames the dead writer had already declared evicted stay evicted.
        const std::uint64_t first = std::min(std::max(stored_hs, s0), s0 + count);
        std::uint64_t hp = p;
        for (std::uint64_t f = s0; f < first; ++f) {
            hp += record_bytes(static_cast<std::size_t>(mem_.word(hp + 8)));
            if (f + 1 < s0 + count) hp = m::start_of(mem_, hp, f + 1, wrap);
        }
        if (first == s0 + count) hp = pos;  // empty
        head_ = hp;
        head_seq_ = first;
        wrap_seq_ = wrap < s0 + count ? wrap : ~std::uint64_t{0};  // not a dead writer's attempt
        tail_ = pos;
        next_seq_ = s0 + count;
        newest_ = newest;
        last_ts_ = count ? last_ts : 0;
        begin_header();  // from an odd value too: (h | 1) + 2 stays odd, end_header makes it even
        mem_.set(m::off_head_seq, head_seq_);
        mem_.set(m::off_head, head_);
        mem_.set(m::off_tail, tail_);
        mem_.set(m::off_newest, newest_);
        mem_.set(m::off_last_ts, last_ts_);
        mem_.set(m::off_wrap_seq, wrap_seq_);
        if (discarded) mem_.set(m::off_repairs, mem_.get(m::off_repairs) + 1);
        mem_.set(m::off_next_seq, next_seq_, std::memory_order_release);
        end_header();
        clear_next_tag();
        wake();
    }

    detail::frame_ring_memory mem_;
    std::uint64_t head_ = 0, head_seq_ = 0, tail_ = 0, next_seq_ = 0, newest_ = 0, last_ts_ = 0;
    std::uint64_t wrap_seq_ = ~std::uint64_t{0};
};

/// A reader of a frame ring that a frame_ring (maybe in another process) writes concurrently.
/// Never writes to the memory (it may be mapped read-only) and never blocks the writer. Starts at
/// the oldest frame held; each try_next / wait_next returns the next frame in sequence order, or
/// reports how many frames the writer overwrote before the reader got to them (exact, from the
/// sequence numbers). Frames are returned in place: their bytes are intact when returned and stay
/// so until the writer evicts them; valid(f) tells whether that happened, copy(f, out) copies and
/// validates. Any number of readers per memory; a reader object is for one thread.
class frame_reader {
public:
    /// Attaches to the ring in `memory`. Throws vecta::invalid_argument ("memory") when memory is
    /// not 8-byte aligned or smaller than frame_ring::min_memory_bytes, vecta::io_error when the
    /// magic, version, header size or capacity do not match. O(1).
    explicit frame_reader(std::span<const std::byte> memory) {
        detail::frame_ring_memory::check_memory(memory.size(), memory.data(), "vecta::frame_reader");
        mem_.base_ = const_cast<std::byte*>(memory.data());  // never written through
        mem_.open("vecta::frame_reader", memory.size());
        detail::frame_ring_memory::head_snapshot s{};
        if (mem_.snapshot(s)) {
            pos_ = s.head;
            seq_ = s.head_seq;
        } else {
            need_resync_ = true;
        }
    }

    /// The next frame if one is available, else !ok. Never blocks: O(1) (a bounded number of
    /// retries while the writer laps this reader). Throws vecta::io_error when a record that the
    /// writer has not evicted fails its checks (memory corrupted by someone else than the writer).
    frame_read try_next() {
        using m = detail::frame_ring_memory;
        frame_read r;
        for (int attempt = 0; attempt < 16; ++attempt) {
            if (need_resync_ && !resync(true)) break;
            const std::uint64_t next = mem_.get(m::off_next_seq, std::memory_order_acquire);
            if (seq_ > next) {  // reformatted (or a corrupt header): start over at the head
                need_resync_ = true;
                continue;
            }
            if (seq_ == next) break;
            if (mem_.get(m::off_head_seq, std::memory_order_acquire) > seq_) {
                if (!resync(false)) break;
                continue;
            }
            const std::uint64_t p = m::start_of(mem_, pos_, seq_, mem_.get(m::off_wrap_seq));
            const std::uint64_t n = mem_.record_size(p, seq_);
            const std::uint64_t ts = mem_.word(p + 16);
            std::atomic_thread_fence(std::memory_order_acquire);
            if (mem_.get(m::off_head_seq) > seq_) continue;  // overwritten meanwhile: resync next turn
            if (n == ~std::uint64_t{0})
                throw io_error("vecta::frame_reader::try_next: corrupt record of frame " + std::to_string(seq_));
            r.frame = {ts, {mem_.base_ + mem_.data_off(p + 24), static_cast<std::size_t>(n)}, seq_};
            r.lost = pending_lost_;
            r.ok = true;
            pending_lost_ = 0;
            pos_ = p + frame_ring::record_bytes(static_cast<std::size_t>(n));
            ++seq_;
            return r;
        }
        return r;
    }

    /// As try_next, waiting up to `timeout` for the writer's next push (Linux: futex on the
    /// header's notify word, shared between processes; elsewhere: sleeps of 50 us to 1 ms).
    frame_read wait_next(std::chrono::nanoseconds timeout) {
        using clock = std::chrono::steady_clock;
        const auto deadline = clock::now() + timeout;
        [[maybe_unused]] int sleeps = 0;
        for (;;) {
            const std::uint32_t w = std::atomic_ref<std::uint32_t>(*mem_.notify_word()).load(std::memory_order_acquire);
            frame_read r = try_next();
            if (r) return r;
            const auto left = deadline - clock::now();
            if (left <= clock::duration::zero()) return r;
#if defined(__linux__)
            detail::futex_wait(mem_.notify_word(), w,
                               std::min<std::chrono::nanoseconds>(left, std::chrono::milliseconds(100)));
#else
            (void)w;
            const auto nap = std::chrono::microseconds(sleeps < 20 ? 50 : 1000);
            ++sleeps;
            std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(left, nap));
#endif
        }
    }

    /// Whether the bytes of `f` (returned by this reader or another reader of the same ring) are
    /// still intact, i.e. the writer has not evicted the frame. Check after using them. O(1).
    bool valid(const frame_view& f) const noexcept {
        std::atomic_thread_fence(std::memory_order_acquire);
        return mem_.get(detail::frame_ring_memory::off_head_seq) <= f.sequence;
    }
    /// Copies f's bytes into `out` (out.size() >= f.data.size()) and returns valid(f) afterwards:
    /// true means the copy is exactly the frame pushed (copy-and-validate). Throws
    /// vecta::invalid_argument ("out") when out is too small.
    bool copy(const frame_view& f, std::span<std::byte> out) const {
        detail::require(out.size() >= f.data.size(), "vecta::frame_reader::copy", "out",
                        "must hold f.data.size() bytes");
        const auto* lo = mem_.base_ + frame_ring::header_bytes;
        detail::require(f.data.data() >= lo && f.data.data() + f.data.size() <= lo + mem_.cap_,
                        "vecta::frame_reader::copy", "f", "must be a frame of this ring");
        mem_.copy_out(static_cast<std::uint64_t>(f.data.data() - lo), out.data(), f.data.size());
        return valid(f);
    }

    /// Moves the cursor to the next frame to be pushed (skipped frames are not counted as lost).
    /// Returns false when the writer is updating the header (try again).
    bool seek_end() noexcept {
        detail::frame_ring_memory::head_snapshot s{};
        if (!mem_.snapshot(s)) return false;
        pos_ = s.tail;
        seq_ = s.next_seq;
        need_resync_ = false;
        return true;
    }

    /// Sequence number of the frame the next read returns.
    std::uint64_t next_sequence() const noexcept { return seq_; }
    /// Frames lost since the reader attached (overwritten before it read them).
    std::uint64_t lost() const noexcept { return lost_; }
    /// Frames published but not yet read by this reader (approximate while the writer runs).
    std::uint64_t available() const noexcept {
        const std::uint64_t next = mem_.get(detail::frame_ring_memory::off_next_seq, std::memory_order_acquire);
        return next > seq_ ? next - seq_ : 0;
    }
    /// Bytes of the data area.
    std::size_t capacity_bytes() const noexcept { return static_cast<std::size_t>(mem_.cap_); }

private:
    // Jumps to the head (consistent snapshot); counts skipped frames as lost unless `reset`.
    bool resync(bool reset) noexcept {
        detail::frame_ring_memory::head_snapshot s{};
        if (!mem_.snapshot(s)) return false;
        if (!reset && s.head_seq <= seq_) return true;
        if (!reset) {
            lost_ += s.head_seq - seq_;
            pending_lost_ += s.head_seq - seq_;
        }
        pos_ = s.head;
        seq_ = s.head_seq;
        need_resync_ = false;
        return true;
    }

    detail::frame_ring_memory mem_;
    std::uint64_t pos_ = 0, seq_ = 0, lost_ = 0, pending_lost_ = 0;
    bool need_resync_ = false;
};

}  // namespace vecta
