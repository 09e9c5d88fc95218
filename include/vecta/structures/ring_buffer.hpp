// SPDX-License-Identifier: MIT
// vecta/structures/ring_buffer.hpp - a fixed-capacity circular buffer with an explicit full policy.
//
// ring_buffer<T> keeps at most capacity() elements in one allocation; element 0 is the oldest.
// What happens when it is full is chosen at construction and never silent:
//   full_policy::overwrite_oldest  push() drops the oldest element and stores the new one
//   full_policy::reject            push() returns false and leaves the buffer unchanged
// Either way dropped() counts the elements lost (overwritten or rejected). The standard circular
// buffer layout (a head index and a size over a contiguous array), as boost::circular_buffer.
// Not thread-safe: use spsc_queue between threads.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "../core/error.hpp"

namespace vecta {

/// What ring_buffer::push does when the buffer is full.
enum class full_policy {
    overwrite_oldest,  ///< drop the oldest element, store the new one (push returns true)
    reject,            ///< keep the buffer unchanged (push returns false)
};

/// Fixed-capacity FIFO ring of T (T must be move-constructible) with random access, oldest first.
/// push/pop/front/back/[] are O(1); iterators are random access, oldest to newest. Errors:
/// capacity 0 throws vecta::invalid_argument ("capacity"); at(i) with i >= size() and front()/back()
/// on an empty buffer throw std::out_of_range, as the standard containers' at() does (operator[]
/// is unchecked like std::deque's). Iterators are invalidated by push, pop and clear.
template <class T>
class ring_buffer {
    static_assert(std::is_move_constructible_v<T>, "vecta::ring_buffer<T> needs a move-constructible T");
    static_assert(std::is_nothrow_destructible_v<T>, "vecta::ring_buffer<T> needs a nothrow-destructible T");

    template <bool Const>
    class basic_iterator {
        using ring = std::conditional_t<Const, const ring_buffer, ring_buffer>;
        ring* r_ = nullptr;
        std::ptrdiff_t i_ = 0;
        friend class ring_buffer;
        basic_iterator(ring* r, std::ptrdiff_t i) noexcept : r_(r), i_(i) {}

    public:
        using iterator_concept = std::random_access_iterator_tag;
        using iterator_category = std::random_access_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using reference = std::conditional_t<Const, const T&, T&>;
        using pointer = std::conditional_t<Const, const T*, T*>;

        basic_iterator() noexcept = default;
        /// iterator -> const_iterator.
        template <bool C = Const>
        requires C basic_iterator(const basic_iterator<false>& o)
        noexcept : r_(o.r_), i_(o.i_) {}

        reference operator*() const noexcept { return (*r_)[static_cast<std::size_t>(i_)]; }
        pointer operator->() const noexcept { return &**this; }
        reference operator[](difference_type n) const noexcept { return (*r_)[static_cast<std::size_t>(i_ + n)]; }
        basic_iterator& operator++() noexcept { return ++i_, *this; }
        basic_iterator operator++(int) noexcept { return {r_, i_++}; }
        basic_iterator& operator--() noexcept { return --i_, *this; }
        basic_iterator operator--(int) noexcept { return {r_, i_--}; }
        basic_iterator& operator+=(difference_type n) noexcept { return i_ += n, *this; }
        basic_iterator& operator-=(difference_type n) noexcept { return i_ -= n, *this; }
        friend basic_iterator operator+(basic_iterator it, difference_type n) noexcept { return it += n; }
        friend basic_iterator operator+(difference_type n, basic_iterator it) noexcept { return it += n; }
        friend basic_iterator operator-(basic_iterator it, difference_type n) noexcept { return it -= n; }
        friend difference_type operator-(const basic_iterator& a, const basic_iterator& b) noexcept {
            return a.i_ - b.i_;
        }
        friend bool operator==(const basic_iterator& a, const basic_iterator& b) noexcept { return a.i_ == b.i_; }
        friend auto operator<=>(const basic_iterator& a, const basic_iterator& b) noexcept { return a.i_ <=> b.i_; }

        template <bool>
        friend class basic_iterator;
    };

public:
    using value_type = T;
    using size_type = std::size_t;
    using difference_type = std::ptrdiff_t;
    using reference = T&;
    using const_reference = const T&;
    using iterator = basic_iterator<false>;
    using const_iterator = basic_iterator<true>;
    using reverse_iterator = std::reverse_iterator<iterator>;
    using const_reverse_iterator = std::reverse_iterator<const_iterator>;

    /// An empty ring of `capacity` elements (allocated once). Throws vecta::invalid_argument
    /// ("capacity") for 0 or a capacity too large to allocate (std::bad_alloc from the allocator).
    explicit ring_buffer(std::size_t capacity, full_policy policy = full_policy::overwrite_oldest)
        : cap_(capacity), policy_(policy) {
        detail::require(capacity >= 1, "vecta::ring_buffer", "capacity", "must be >= 1");
        detail::require(capacity <= static_cast<std::size_t>(PTRDIFF_MAX) / sizeof(T), "vecta::ring_buffer", "capacity",
                        "is too large");
        detail::require(policy == full_policy::overwrite_oldest || policy == full_policy::reject, "vecta::ring_buffer",
                        "policy", "must be overwrite_oldest or reject");
        data_ = std::allocator<T>{}.allocate(cap_);
    }

    /// Copies o's elements, capacity, policy and dropped(). A moved-from ring (capacity 0) copies
    /// as another moved-from ring.
    ring_buffer(const ring_buffer& o) : cap_(o.cap_), policy_(o.policy_) {
        if (cap_ != 0) data_ = std::allocator<T>{}.allocate(cap_);
        try {
            for (const T& x : o) emplace_unchecked(x);
        } catch (...) {  // T's copy threw: destroy the copies made, free the storage
            clear();
            if (data_ != nullptr) std::allocator<T>{}.deallocate(data_, cap_);
            throw;
        }
        dropped_ = o.dropped_;
    }
    /// Takes o's elements; o is left empty with capacity 0: push() on it stores nothing and returns
    /// false (counted in dropped()) until a ring is assigned to it.
    ring_buffer(ring_buffer&& o) noexcept
        : data_(std::exchange(o.data_, nullptr)),
          cap_(std::exchange(o.cap_, 0)),
          head_(std::exchange(o.head_, 0)),
          size_(std::exchange(o.size_, 0)),
          dropped_(std::exchange(o.dropped_, 0)),
          policy_(o.policy_) {}
    ring_buffer& operator=(ring_buffer o) noexcept {
        swap(o);
        return *this;
    }
    ~ring_buffer() {
        if (data_ == nullptr) return;
        clear();
        std::allocator<T>{}.deallocate(data_, cap_);
    }
    void swap(ring_buffer& o) noexcept {
        std::swap(data_, o.data_);
        std::swap(cap_, o.cap_);
        std::swap(head_, o.head_);
        std::swap(size_, o.size_);
        std::swap(dropped_, o.dropped_);
        std::swap(policy_, o.policy_);
    }
    friend void swap(ring_buffer& a, ring_buffer& b) noexcept { a.swap(b); }

    /// Appends a new newest element constructed from args. When full: overwrite_oldest destroys the
    /// oldest element first and returns true; reject (or a moved-from ring, capacity 0) returns
    /// false (args are not used). O(1). If T's constructor throws, the buffer is unchanged.
    template <class... Args>
    bool emplace(Args&&... args) {
        // Members are read into locals first: a store through T* may alias them (T = long).
        const std::size_t size = size_, cap = cap_, head = head_;
        T* const data = data_;
        if (size < cap) {
            const std::size_t i = head + size;
            std::construct_at(data + (i >= cap ? i - cap : i), std::forward<Args>(args)...);
            size_ = size + 1;
            return true;
        }
        if (policy_ == full_policy::reject || cap == 0) {
            ++dropped_;
            return false;
        }
        T value(std::forward<Args>(args)...);  // built before the oldest is dropped
        std::destroy_at(data + head);
        std::construct_at(data + head, std::move(value));  // T's move constructor is assumed not to throw here
        head_ = head + 1 == cap ? 0 : head + 1;
        ++dropped_;
        return true;
    }
    /// emplace(value).
    bool push(const T& value) { return emplace(value); }
    bool push(T&& value) { return emplace(std::move(value)); }

    /// Removes and returns the oldest element; std::nullopt when empty. O(1).
    std::optional<T> pop() {
        const std::size_t size = size_, head = head_;
        if (size == 0) return std::nullopt;
        const std::size_t next = head + 1 == cap_ ? 0 : head + 1;
        T* const slot = data_ + head;
        std::optional<T> out(std::move(*slot));
        std::destroy_at(slot);
        head_ = next;
        size_ = size - 1;
        return out;
    }

    /// Oldest / newest element. Throws std::out_of_range when empty.
    T& front() { return at(0); }
    const T& front() const { return at(0); }
    T& back() { return size_ == 0 ? at(0) : (*this)[size_ - 1]; }
    const T& back() const { return size_ == 0 ? at(0) : (*this)[size_ - 1]; }

    /// Element i, 0 = oldest. Unchecked: requires i < size().
    T& operator[](std::size_t i) noexcept { return i < cap_ - head_ ? data_[head_ + i] : data_[i - (cap_ - head_)]; }
    const T& operator[](std::size_t i) const noexcept {
        return i < cap_ - head_ ? data_[head_ + i] : data_[i - (cap_ - head_)];
    }
    /// Element i, 0 = oldest. Throws std::out_of_range when i >= size().
    T& at(std::size_t i) {
        check_index(i);
        return (*this)[i];
    }
    const T& at(std::size_t i) const {
        check_index(i);
        return (*this)[i];
    }

    iterator begin() noexcept { return {this, 0}; }
    iterator end() noexcept { return {this, static_cast<std::ptrdiff_t>(size_)}; }
    const_iterator begin() const noexcept { return {this, 0}; }
    const_iterator end() const noexcept { return {this, static_cast<std::ptrdiff_t>(size_)}; }
    const_iterator cbegin() const noexcept { return begin(); }
    const_iterator cend() const noexcept { return end(); }
    reverse_iterator rbegin() noexcept { return reverse_iterator(end()); }
    reverse_iterator rend() noexcept { return reverse_iterator(begin()); }
    const_reverse_iterator rbegin() const noexcept { return const_reverse_iterator(end()); }
    const_reverse_iterator rend() const noexcept { return const_reverse_iterator(begin()); }

    std::size_t size() const noexcept { return size_; }
    std::size_t capacity() const noexcept { return cap_; }
    bool empty() const noexcept { return size_ == 0; }
    bool full() const noexcept { return size_ == cap_; }
    full_policy policy() const noexcept { return policy_; }
    /// Elements lost since construction: overwritten (overwrite_oldest) or rejected (reject).
    std::size_t dropped() const noexcept { return dropped_; }

    /// Destroys every element (capacity, policy and dropped() are kept). O(size).
    void clear() noexcept {
        for (std::size_t i = 0; i < size_; ++i) std::destroy_at(data_ + wrap(head_ + i));
        head_ = 0;
        size_ = 0;
    }

private:
    std::size_t wrap(std::size_t i) const noexcept { return i >= cap_ ? i - cap_ : i; }
    void check_index(std::size_t i) const {
        if (i >= size_) throw std::out_of_range("vecta::ring_buffer::at: index must be < size()");
    }
    template <class... Args>
    void emplace_unchecked(Args&&... args) {
        std::construct_at(data_ + wrap(head_ + size_), std::forward<Args>(args)...);
        ++size_;
    }

    T* data_ = nullptr;
    std::size_t cap_ = 0;
    std::size_t head_ = 0;  // index of the oldest element
    std::size_t size_ = 0;
    std::size_t dropped_ = 0;
    full_policy policy_ = full_policy::overwrite_oldest;
};

}  // namespace vecta
