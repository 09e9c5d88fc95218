// SPDX-License-Identifier: MIT
// vecta/structures/spsc_queue.hpp - a bounded lock-free single-producer single-consumer queue.
//
// The Lamport ring buffer queue (L. Lamport, "Proving the correctness of multiprocess programs",
// 1977) with the refinements of E. Rigtorp's SPSCQueue: the write index and the read index live on
// separate cache-line pairs, and each side keeps a cached copy of the other side's index, so the
// shared lines only move between cores when the cached value says the queue looks full (producer)
// or empty (consumer). Publication uses acquire/release atomics only; there are no locks, no CAS and
// no allocation after construction. Indices are integers into the slot array (not pointers), so the
// same layout could be placed in shared memory.
//
// Thread-safety: exactly one producer thread may call try_push / try_emplace / push_n and exactly
// one consumer thread may call try_pop / pop_n at the same time; size_approx / empty are estimates
// when called concurrently. Construction and destruction must not race with either side.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>

#include "../core/error.hpp"

namespace vecta {

namespace detail {
/// Alignment separating the producer's and the consumer's indices: two 64-byte lines, because
/// x86 cores prefetch cache lines in adjacent pairs (folly and crossbeam pad to 128 for the same
/// reason); std::hardware_destructive_interference_size is 64 here.
inline constexpr std::size_t spsc_line = 128;
}  // namespace detail

/// Bounded lock-free SPSC FIFO of T (T move-constructible; push_n also needs copy-constructible T).
/// All operations are wait-free and O(1) (batch operations O(count)). `vecta::spsc_queue<Frame*>
/// queue(4096);` holds up to 4096 items. Throws vecta::invalid_argument ("capacity") for 0.
template <class T>
class spsc_queue {
    static_assert(std::is_move_constructible_v<T>, "vecta::spsc_queue<T> needs a move-constructible T");
    static_assert(std::is_nothrow_destructible_v<T>, "vecta::spsc_queue<T> needs a nothrow-destructible T");

public:
    using value_type = T;

    /// An empty queue holding up to `capacity` items: capacity + 1 slots are allocated once.
    /// Throws vecta::invalid_argument ("capacity") for 0 or a capacity too large to allocate.
    explicit spsc_queue(std::size_t capacity) : cap_(capacity) {
        detail::require(capacity >= 1, "vecta::spsc_queue", "capacity", "must be >= 1");
        detail::require(capacity < PTRDIFF_MAX / sizeof(T) - 1, "vecta::spsc_queue", "capacity", "is too large");
        slots_n_ = capacity + 1;
        slots_ = static_cast<T*>(::operator new (slots_n_ * sizeof(T), std::align_val_t{detail::spsc_line}));
    }
    spsc_queue(const spsc_queue&) = delete;
    spsc_queue& operator=(const spsc_queue&) = delete;
    ~spsc_queue() {
        std::size_t r = cons_.read.load(std::memory_order_relaxed);
        const std::size_t w = prod_.write.load(std::memory_order_relaxed);
        for (; r != w; r = next(r)) std::destroy_at(slots_ + r);
        ::operator delete (slots_, std::align_val_t{detail::spsc_line});
    }

    /// Producer: constructs an item from args at the back; false (args unused) when full.
    template <class... Args>
    bool try_emplace(Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args&&...>) {
        const std::size_t w = prod_.write.load(std::memory_order_relaxed);
        const std::size_t n = next(w);
        if (n == prod_.read_cache) {
            prod_.read_cache = cons_.read.load(std::memory_order_acquire);
            if (n == prod_.read_cache) return false;
        }
        std::construct_at(slots_ + w, std::forward<Args>(args)...);
        prod_.write.store(n, std::memory_order_release);
        return true;
    }
    /// Producer: try_emplace(value).
    bool try_push(const T& value) noexcept(std::is_nothrow_copy_constructible_v<T>) { return try_emplace(value); }
    bool try_push(T&& value) noexcept(std::is_nothrow_move_constructible_v<T>) { return try_emplace(std::move(value)); }

    /// Producer: copies the longest prefix of `items` that fits, publishes it with one release
    /// store, and returns its length (0 when full). O(items.size()).
    std::size_t push_n(std::span<const T> items) {
        static_assert(std::is_copy_constructible_v<T>, "push_n copies: T must be copy-constructible");
        const std::size_t w = prod_.write.load(std::memory_order_relaxed);
        std::size_t room = free_slots(w, prod_.read_cache);
        if (room < items.size()) {
            prod_.read_cache = cons_.read.load(std::memory_order_acquire);
            room = free_slots(w, prod_.read_cache);
        }
        const std::size_t k = std::min(room, items.size());
        if (k == 0) return 0;
        const std::size_t first = std::min(k, slots_n_ - w);
        std::uninitialized_copy_n(items.data(), first, slots_ + w);
        if (first < k) {
            try {
                std::uninitialized_copy_n(items.data() + first, k - first, slots_);
            } catch (...) {
                std::destroy_n(slots_ + w, first);
                throw;
            }
        }
        const std::size_t nw = w + k >= slots_n_ ? w + k - slots_n_ : w + k;
        prod_.write.store(nw, std::memory_order_release);
        return k;
    }

    /// Consumer: moves the front item into `out` and removes it; false when empty.
    bool try_pop(T& out) noexcept(std::is_nothrow_move_assignable_v<T>) {
        const std::size_t r = cons_.read.load(std::memory_order_relaxed);
        if (r == cons_.write_cache) {
            cons_.write_cache = prod_.write.load(std::memory_order_acquire);
            if (r == cons_.write_cache) return false;
        }
        out = std::move(slots_[r]);
        std::destroy_at(slots_ + r);
        cons_.read.store(next(r), std::memory_order_release);
        return true;
    }
    /// Consumer: removes and returns the front item; std::nullopt when empty.
    std::optional<T> try_pop() noexcept(std::is_nothrow_move_constructible_v<T>) {
        const std::size_t r = cons_.read.load(std::memory_order_relaxed);
        if (r == cons_.write_cache) {
            cons_.write_cache = prod_.write.load(std::memory_order_acquire);
            if (r == cons_.write_cache) return std::nullopt;
        }
        std::optional<T> out(std::move(slots_[r]));
        std::destroy_at(slots_ + r);
        cons_.read.store(next(r), std::memory_order_release);
        return out;
    }

    /// Consumer: moves up to out.size() front items into out (in FIFO order), removes them with
    /// one release store, and returns how many (0 when empty). O(count).
    std::size_t pop_n(std::span<T> out) noexcept(std::is_nothrow_move_assignable_v<T>) {
        const std::size_t r = cons_.read.load(std::memory_order_relaxed);
        std::size_t avail = used_slots(cons_.write_cache, r);
        if (avail < out.size()) {
            cons_.write_cache = prod_.write.load(std::memory_order_acquire);
            avail = used_slots(cons_.write_cache, r);
        }
        const std::size_t k = std::min(avail, out.size());
        if (k == 0) return 0;
        const std::size_t first = std::min(k, slots_n_ - r);
        std::move(slots_ + r, slots_ + r + first, out.data());
        std::destroy_n(slots_ + r, first);
        std::move(slots_, slots_ + (k - first), out.data() + first);
        std::destroy_n(slots_, k - first);
        const std::size_t nr = r + k >= slots_n_ ? r + k - slots_n_ : r + k;
        cons_.read.store(nr, std::memory_order_release);
        return k;
    }

    /// Items in the queue: exact when neither side runs, an estimate in [0, capacity()] otherwise.
    std::size_t size_approx() const noexcept {
        const std::size_t r = cons_.read.load(std::memory_order_acquire);
        const std::size_t w = prod_.write.load(std::memory_order_acquire);
        return used_slots(w, r);
    }
    bool empty() const noexcept { return size_approx() == 0; }
    std::size_t capacity() const noexcept { return cap_; }

private:
    std::size_t next(std::size_t i) const noexcept { return i + 1 == slots_n_ ? 0 : i + 1; }
    std::size_t used_slots(std::size_t w, std::size_t r) const noexcept { return w >= r ? w - r : w + slots_n_ - r; }
    std::size_t free_slots(std::size_t w, std::size_t r) const noexcept { return cap_ - used_slots(w, r); }

    // Read-only after construction (shared by both sides).
    T* slots_ = nullptr;
    std::size_t slots_n_ = 0;
    std::size_t cap_ = 0;
    // Producer's line: its index and its cached view of the consumer's.
    struct alignas(detail::spsc_line) producer_side {
        std::atomic<std::size_t> write{0};
        std::size_t read_cache = 0;
    } prod_;
    // Consumer's line: its index and its cached view of the producer's.
    struct alignas(detail::spsc_line) consumer_side {
        std::atomic<std::size_t> read{0};
        std::size_t write_cache = 0;
    } cons_;
    static_assert(std::atomic<std::size_t>::is_always_lock_free);
};

}  // namespace vecta
