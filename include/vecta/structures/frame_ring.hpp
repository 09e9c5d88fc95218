// SPDX-License-Identifier: MIT
// vecta/structures/frame_ring.hpp - variable-length timestamped byte frames in a fixed byte ring
// over caller-provided memory (a memory-mapped file works, also shared between processes).
//
// Layout of the memory (all integers little-endian as the host, 8-byte aligned):
//   [0, 128)      header: magic "VECTAFR1", version, header size, data capacity, head and tail
//                 (monotonic 64-bit byte positions; offset = position % capacity), frame count,
//                 position of the newest frame, last timestamp, and a sequence counter
//   [128, 128+C)  data: records { u64 size; u64 timestamp; size payload bytes; zero padding to 8 }
// A record is never split at the end of the data area: when it does not fit before the end, the
// rest of the area is skipped (a skip marker when at least 16 bytes remain, implicitly when 8 do)
// and the record starts at offset 0. Before a record is written, the oldest frames are evicted until
// the occupied bytes [head, end of new record) fit the capacity. Frames are read back in place as
// std::span<const std::byte> (no copy), oldest to newest.
//
// Concurrency model (kept simple): ONE writer at a time (any process), and readers that do not
// run during a push, e.g. a reader process that attaches after the writer has finished or is
// paused, or external synchronisation (a process-shared mutex, a pipe, waitpid). Spans returned
// by the reader stay valid until the next push or clear on that memory. The header's sequence
// counter is odd while a push is in progress and advances by 2 per push (atomic, release/acquire),
// so a reader that copies data can detect a concurrent write by comparing sequence() before and
// after (copy-and-validate); reading in place concurrently with a writer is not supported.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <new>
#include <span>
#include <stdexcept>
#include <string>

#include "../core/error.hpp"

namespace vecta {

/// One frame read back from a frame_ring: its timestamp and its bytes, in place.
struct frame_view {
    std::uint64_t timestamp = 0;
    std::span<const std::byte> data;
};

/// Byte ring of timestamped frames over caller-provided memory; see the file comment for the
/// layout and the concurrency model. A frame_ring is a non-owning handle (copying it gives another
/// handle to the same memory, like std::span); all state lives in the memory itself.
class frame_ring {
public:
    static constexpr std::uint64_t magic = 0x315246415443'4556ull;  // "VECTAFR1" read little-endian
    static constexpr std::uint32_t version = 1;
    /// Bytes of the header at the start of the memory.
    static constexpr std::size_t header_bytes = 128;
    /// Bytes of a record's header (size, timestamp) before its payload.
    static constexpr std::size_t record_header_bytes = 16;
    /// Required alignment of the memory (for the 64-bit atomic header fields); payloads start at
    /// 8-byte aligned addresses.
    static constexpr std::size_t alignment = 8;

    /// Formats `memory` as an empty ring (any previous contents are discarded). The data capacity
    /// is (memory.size() - 128) rounded down to a multiple of 8. Throws vecta::invalid_argument
    /// ("memory") when memory is not 8-byte aligned or smaller than 128 + 16 bytes.
    explicit frame_ring(std::span<std::byte> memory) {
        check_memory(memory, "vecta::frame_ring");
        base_ = memory.data();
        cap_ = (memory.size() - header_bytes) / 8 * 8;
        std::memset(base_, 0, header_bytes);
        set(off_magic, magic);
        set(off_version, std::uint64_t{version} | (std::uint64_t{header_bytes} << 32));
        set(off_capacity, cap_);
        store(off_sequence, 0);
    }

    /// Opens a ring another frame_ring (maybe in another process) formatted in `memory`, after
    /// validating the header and walking every record: throws vecta::io_error when the magic,
    /// version, header size or capacity do not match, a writer is mid-push (odd sequence), or the
    /// records are corrupt; vecta::invalid_argument ("memory") as the constructor. O(frames).
    static frame_ring attach(std::span<std::byte> memory) {
        check_memory(memory, "vecta::frame_ring::attach");
        frame_ring r;
        r.base_ = memory.data();
        auto fail = [](const char* what) { throw io_error(std::string("vecta::frame_ring::attach: ") + what); };
        if (r.get(off_magic) != magic) fail("bad magic (not a frame_ring)");
        const std::uint64_t vh = r.get(off_version);
        if ((vh & 0xffffffffu) != version) fail("unsupported version");
        if ((vh >> 32) != header_bytes) fail("header size mismatch");
        const std::uint64_t cap = r.get(off_capacity);
        if (cap < record_header_bytes || cap % 8 != 0 || cap > memory.size() - header_bytes)
            fail("capacity does not match the memory");
        r.cap_ = static_cast<std::size_t>(cap);
        if (r.load(off_sequence) % 2 != 0) fail("a write is in progress (odd sequence)");
        if (!r.valid_records()) fail("corrupt records");
        return r;
    }

    /// Appends a frame with `timestamp` (timestamps must not decrease; clear() resets that),
    /// evicting the oldest frames until it fits. Returns the number of frames evicted.
    /// O(frame bytes + evicted frames). Throws vecta::invalid_argument for a frame larger than
    /// max_frame_bytes() ("frame") or a timestamp below the previous one ("timestamp"); the ring is
    /// unchanged then.
    std::size_t push(std::uint64_t timestamp, std::span<const std::byte> frame) {
        detail::require(frame.size() <= max_frame_bytes(), "vecta::frame_ring::push", "frame",
                        "must be <= max_frame_bytes() (capacity - 16 bytes)");
        detail::require(get(off_count) == 0 || timestamp >= get(off_last_ts), "vecta::frame_ring::push", "timestamp",
                        "must be >= the previous frame's timestamp");
        const std::uint64_t sequence_before = load(off_sequence);
        store_relaxed(off_sequence, sequence_before + 1);
        std::atomic_thread_fence(std::memory_order_release);

        const std::uint64_t rec = record_bytes(frame.size());
        std::uint64_t head = get(off_head), tail = get(off_tail), count = get(off_count);
        const std::uint64_t room = cap_ - tail % cap_;
        const std::uint64_t start = room < rec ? tail + room : tail;
        const std::uint64_t end = start + rec;
        std::size_t evicted = 0;
        while (count > 0 && end - head > cap_) {
            head += record_bytes(static_cast<std::size_t>(read_u64(head)));
            --count;
            ++evicted;
            if (count > 0) head = skip_padding(head);
        }
        if (count == 0) head = start;
        if (room < rec && room >= record_header_bytes) write_u64(tail, skip_marker);
        write_u64(start, frame.size());
        write_u64(start + 8, timestamp);
        std::byte* payload = data() + (start + record_header_bytes) % cap_;
        if (!frame.empty()) std::memcpy(payload, frame.data(), frame.size());
        const std::size_t pad = static_cast<std::size_t>(rec - record_header_bytes) - frame.size();
        if (pad > 0) std::memset(payload + frame.size(), 0, pad);

        set(off_head, head);
        set(off_tail, end);
        set(off_count, count + 1);
        set(off_newest, start);
        set(off_last_ts, timestamp);
        store(off_sequence, sequence_before + 2);
        return evicted;
    }

    /// Removes every frame and forgets the last timestamp. O(1).
    void clear() noexcept {
        const std::uint64_t sequence_before = load(off_sequence);
        store_relaxed(off_sequence, sequence_before + 1);
        std::atomic_thread_fence(std::memory_order_release);
        set(off_head, get(off_tail));
        set(off_count, 0);
        set(off_last_ts, 0);
        store(off_sequence, sequence_before + 2);
    }

    /// Forward iterator over the frames, oldest to newest (value frame_view).
    class iterator {
    public:
        using iterator_concept = std::forward_iterator_tag;
        using iterator_category = std::input_iterator_tag;  // dereferences to a value
        using value_type = frame_view;
        using difference_type = std::ptrdiff_t;
        using reference = frame_view;
        using pointer = void;

        iterator() noexcept = default;
        frame_view operator*() const noexcept { return r_->frame_at(pos_); }
        iterator& operator++() noexcept {
            pos_ += r_->record_bytes(static_cast<std::size_t>(r_->read_u64(pos_)));
            if (pos_ != tail_) pos_ = r_->skip_padding(pos_);
            return *this;
        }
        iterator operator++(int) noexcept {
            iterator t = *this;
            ++*this;
            return t;
        }
        friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.pos_ == b.pos_; }

    private:
        friend class frame_ring;
        iterator(const frame_ring* r, std::uint64_t pos, std::uint64_t tail) noexcept : r_(r), pos_(pos), tail_(tail) {}
        const frame_ring* r_ = nullptr;
        std::uint64_t pos_ = 0, tail_ = 0;
    };

    iterator begin() const noexcept {
        return {this, get(off_count) == 0 ? get(off_tail) : get(off_head), get(off_tail)};
    }
    iterator end() const noexcept { return {this, get(off_tail), get(off_tail)}; }

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
        return frame_at(get(off_head));
    }
    frame_view back() const {
        if (empty()) throw std::out_of_range("vecta::frame_ring::back: the ring is empty");
        return frame_at(get(off_newest));
    }

    /// Number of frames held.
    std::size_t size() const noexcept { return static_cast<std::size_t>(get(off_count)); }
    bool empty() const noexcept { return size() == 0; }
    /// Bytes of the data area (records and padding).
    std::size_t capacity_bytes() const noexcept { return cap_; }
    /// Bytes between the oldest record and the end of the newest (records plus skipped padding).
    std::size_t used_bytes() const noexcept {
        return empty() ? 0 : static_cast<std::size_t>(get(off_tail) - get(off_head));
    }
    /// Largest frame push accepts: capacity_bytes() - 16.
    std::size_t max_frame_bytes() const noexcept { return cap_ - record_header_bytes; }
    /// The writer's sequence counter: odd during a push or clear, +2 per completed one (acquire load).
    std::uint64_t sequence() const noexcept { return load(off_sequence); }
    /// Bytes one frame of n payload bytes occupies: 16 + n rounded up to 8 (plus possible padding
    /// at the wrap).
    static constexpr std::size_t record_bytes(std::size_t n) noexcept { return record_header_bytes + (n + 7) / 8 * 8; }

private:
    frame_ring() = default;

    static constexpr std::size_t off_magic = 0, off_version = 8, off_capacity = 16, off_head = 24, off_tail = 32,
                                 off_count = 40, off_newest = 48, off_last_ts = 56, off_sequence = 64;
    static constexpr std::uint64_t skip_marker = ~std::uint64_t{0};

    static void check_memory(std::span<std::byte> memory, const char* fn) {
        detail::require(reinterpret_cast<std::uintptr_t>(memory.data()) % alignment == 0, fn, "memory",
                        "must be 8-byte aligned");
        detail::require(memory.size() >= header_bytes + record_header_bytes, fn, "memory",
                        "must hold the 128-byte header and at least 16 data bytes");
    }

    std::byte* data() const noexcept { return base_ + header_bytes; }
    std::uint64_t* field(std::size_t off) const noexcept {
        return std::launder(reinterpret_cast<std::uint64_t*>(base_ + off));
    }
    // Header fields other than the sequence are written by the single writer between the sequence
    // updates and read by readers that do not run concurrently (see the concurrency model); they
    // go through atomic_ref so another process sees whole values.
    std::uint64_t get(std::size_t off) const noexcept {
        return std::atomic_ref<std::uint64_t>(*field(off)).load(std::memory_order_relaxed);
    }
    void set(std::size_t off, std::uint64_t v) const noexcept {
        std::atomic_ref<std::uint64_t>(*field(off)).store(v, std::memory_order_relaxed);
    }
    std::uint64_t load(std::size_t off) const noexcept {
        return std::atomic_ref<std::uint64_t>(*field(off)).load(std::memory_order_acquire);
    }
    void store(std::size_t off, std::uint64_t v) const noexcept {
        std::atomic_ref<std::uint64_t>(*field(off)).store(v, std::memory_order_release);
    }
    void store_relaxed(std::size_t off, std::uint64_t v) const noexcept { set(off, v); }

    // 64-bit words of the data area at a logical position (always 8-aligned, never split).
    std::uint64_t read_u64(std::uint64_t pos) const noexcept {
        std::uint64_t v;
        std::memcpy(&v, data() + pos % cap_, 8);
        return v;
    }
    void write_u64(std::uint64_t pos, std::uint64_t v) const noexcept { std::memcpy(data() + pos % cap_, &v, 8); }

    /// The position of the next record at or after `pos`: skips the end of the data area when
    /// fewer than 16 bytes remain or a skip marker is there.
    std::uint64_t skip_padding(std::uint64_t pos) const noexcept {
        const std::uint64_t room = cap_ - pos % cap_;
        if (room < record_header_bytes || read_u64(pos) == skip_marker) return pos + room;
        return pos;
    }
    frame_view frame_at(std::uint64_t pos) const noexcept {
        const auto n = static_cast<std::size_t>(read_u64(pos));
        return {read_u64(pos + 8), {data() + (pos + record_header_bytes) % cap_, n}};
    }

    /// Walks the records from head to tail: every size fits before the end of the area, the
    /// chain lands exactly on tail with `count` frames, timestamps do not decrease and the newest
    /// is where the header says.
    bool valid_records() const noexcept {
        const std::uint64_t head = get(off_head), tail = get(off_tail), count = get(off_count);
        if (head % 8 || tail % 8 || tail < head || tail - head > cap_) return false;
        if (count == 0) return true;
        std::uint64_t pos = head, seen = 0, last_ts = 0, newest = 0;
        while (pos != tail) {
            if (seen == count || tail - pos < record_header_bytes) return false;
            const std::uint64_t room = cap_ - pos % cap_;
            if (room < record_header_bytes) return false;  // head / next record inside padding
            const std::uint64_t n = read_u64(pos);
            if (n > room - record_header_bytes) return false;  // also rejects the skip marker here
            const std::uint64_t ts = read_u64(pos + 8);
            if (seen > 0 && ts < last_ts) return false;
            const std::uint64_t rec = record_bytes(static_cast<std::size_t>(n));
            if (rec > tail - pos) return false;
            last_ts = ts;
            newest = pos;
            ++seen;
            pos += rec;
            if (pos != tail) pos = skip_padding(pos);
            if (pos > tail) return false;
        }
        return seen == count && newest == get(off_newest) && last_ts == get(off_last_ts);
    }

    std::byte* base_ = nullptr;
    std::size_t cap_ = 0;
};

}  // namespace vecta
