// SPDX-License-Identifier: MIT
// python/src/frame_ring.cpp - vecta.FrameRing and vecta.Frame: vecta::frame_ring (one writer) and
// vecta::frame_reader (any number of readers) over memory shared between processes
// (multiprocessing.shared_memory, a memory-mapped file, or any writable buffer).
//
// Frames are zero-copy: Frame.data is a read-only memoryview slice of the ring's memory. Lifetime
// rule: the bytes are the frame's until the writer evicts it (enough later pushes to fill the
// ring); Frame.valid() says whether that has happened (check after use), Frame.copy() copies and
// validates. A Frame keeps the memory mapped (a buffer export): shm.close() / FrameRing.close()
// raise BufferError while Frames are alive.
#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vecta/structures/frame_ring.hpp>

#include "common.hpp"

namespace vpy {
namespace {

using namespace pybind11::literals;
constexpr std::size_t max_capacity = std::size_t(1) << 46;

struct ring {
    py::object owner = py::none();   // what holds the memory: NumPy array, bytearray, mmap, SharedMemory
    py::object view = py::none();    // memoryview of the memory (our buffer export), released by close()
    py::object frames = py::none();  // read-only memoryview over it; Frame.data are slices of it
    py::object shm = py::none();     // SharedMemory we opened (closed by close())
    py::object mapped = py::none();  // mmap we opened for a file path (closed by close())
    std::span<std::byte> memory;
    std::optional<vecta::frame_ring> writer;
    std::optional<vecta::frame_reader> reader;   // the cursor of next_frame (under read_mu)
    std::optional<vecta::frame_reader> checker;  // never advanced: capacity, Frame.valid()
    std::mutex mu;  // one call at a time from Python threads; never held while acquiring the GIL (push takes it after
                    // releasing the GIL), so no deadlock
    std::mutex read_mu;            // next_frame's cursor: held only without the GIL, so a wait never blocks others
    py::object name = py::none();  // what open() was given (for unlink)
    bool is_path = false;
};

struct frame {
    py::object data;  // read-only memoryview slice
    vecta::frame_view view;
    std::uint64_t lost = 0;
    vecta::frame_reader checker;  // tells whether the bytes are still the frame's
};

[[noreturn]] void closed_error(std::string_view fn) { throw py::value_error(std::string(fn) + ": the ring is closed"); }
ring& live(ring& r, std::string_view fn) {
    if (r.view.is_none()) closed_error(fn);
    return r;
}

/// Exports `obj` as a C-contiguous buffer (writable when asked) and points the ring at it.
void export_memory(ring& r, const py::object& obj, bool writable, std::string_view fn) {
    py::object mv = py::reinterpret_steal<py::object>(PyMemoryView_FromObject(obj.ptr()));
    if (!mv) {
        PyErr_Clear();
        throw py::type_error(std::string(fn) + ": buffer must be a bytes-like object");
    }
    const Py_buffer* b = PyMemoryView_GET_BUFFER(mv.ptr());
    if (!PyBuffer_IsContiguous(b, 'C')) throw py::type_error(std::string(fn) + ": buffer must be C-contiguous");
    if (writable && b->readonly)
        throw py::type_error(std::string(fn) + ": buffer must be a writable bytes-like object");
    r.owner = obj;
    r.view = mv;
    r.frames = mv.attr("toreadonly")();
    r.memory = {static_cast<std::byte*>(b->buf), static_cast<std::size_t>(b->len)};
}

std::span<const std::byte> const_memory(const ring& r) { return {r.memory.data(), r.memory.size()}; }

ring* new_ring(const py::object& capacity, const py::object& buffer) {
    constexpr std::string_view fn = "vecta.FrameRing";
    if (capacity.is_none() == buffer.is_none()) fail(fn, "give either capacity_bytes or buffer");
    auto guard = std::make_unique<ring>();
    if (!buffer.is_none()) {
        export_memory(*guard, buffer, true, fn);
    } else {
        const auto cap = size_arg(capacity, fn, "capacity_bytes");
        if (cap < vecta::frame_ring::record_overhead_bytes || cap > max_capacity)
            fail(fn, "capacity_bytes must be in [32, 2**46]");
        // 8 spare bytes to start on an 8-byte boundary whatever NumPy's alignment.
        const std::size_t total = vecta::frame_ring::header_bytes + (cap + 7) / 8 * 8;
        py::array_t<std::uint8_t> a({static_cast<py::ssize_t>(total + 8)});
        const auto skip = static_cast<py::ssize_t>((8 - reinterpret_cast<std::uintptr_t>(a.data()) % 8) % 8);
        export_memory(*guard, a[py::slice(skip, skip + static_cast<py::ssize_t>(total), 1)], true, fn);
    }
    guard->writer.emplace(guard->memory);
    guard->reader.emplace(const_memory(*guard));
    guard->checker.emplace(const_memory(*guard));
    return guard.release();
}

ring* attach_ring(const py::object& buffer, bool as_writer) {
    constexpr std::string_view fn = "vecta.FrameRing.attach";
    auto guard = std::make_unique<ring>();
    export_memory(*guard, buffer, as_writer, fn);
    if (as_writer) guard->writer.emplace(vecta::frame_ring::attach(guard->memory));
    guard->reader.emplace(const_memory(*guard));
    guard->checker.emplace(const_memory(*guard));
    return guard.release();
}

/// FrameRing.open: shared memory by name, or a file when the name is a path (os.PathLike, or a
/// string with a '/').
ring* open_ring(const py::object& name, const py::object& capacity, bool create, const py::object& writer_arg) {
    constexpr std::string_view fn = "vecta.FrameRing.open";
    const bool as_writer = writer_arg.is_none() ? create : writer_arg.cast<bool>();
    if (create && !as_writer) fail(fn, "create=True makes the writer: writer must not be False");
    py::module_ os = py::module_::import("os");
    const bool is_path = py::isinstance(name, os.attr("PathLike")) ||
                         (py::isinstance<py::str>(name) && name.cast<std::string>().find('/') != std::string::npos);
    if (!is_path && !py::isinstance<py::str>(name))
        throw py::type_error(std::string(fn) + ": name must be a str or a path");
    std::size_t bytes = 0;
    if (create) {
        if (capacity.is_none()) fail(fn, "create=True needs capacity (data bytes)");
        const auto cap = size_arg(capacity, fn, "capacity");
        if (cap < vecta::frame_ring::record_overhead_bytes || cap > max_capacity)
            fail(fn, "capacity must be in [32, 2**46]");
        bytes = vecta::frame_ring::header_bytes + (cap + 7) / 8 * 8;
    } else if (!capacity.is_none()) {
        fail(fn, "capacity is only for create=True (an existing ring has its own)");
    }
    auto guard = std::make_unique<ring>();
    guard->name = name;
    guard->is_path = is_path;
    py::object obj;
    if (is_path) {
        py::module_ mmap = py::module_::import("mmap");
        py::object path = os.attr("fspath")(name);
        py::object f = py::module_::import("builtins").attr("open")(path, create ? "x+b" : (as_writer ? "r+b" : "rb"));
        try {
            if (create) f.attr("truncate")(bytes);
            const int fd = f.attr("fileno")().cast<int>();
            const auto size = os.attr("fstat")(fd).attr("st_size").cast<std::size_t>();
            if (size < vecta::frame_ring::min_memory_bytes)
                throw py::value_error(std::string(fn) + ": " + path.cast<std::string>() + " is too small for a ring");
            obj = as_writer ? mmap.attr("mmap")(fd, size)
                            : mmap.attr("mmap")(fd, size, "access"_a = mmap.attr("ACCESS_READ"));
        } catch (...) {
            f.attr("close")();
            throw;
        }
        f.attr("close")();  // the mapping stays valid
        guard->mapped = obj;
    } else {
        py::module_ sm = py::module_::import("multiprocessing.shared_memory");
        py::object shm =
            create ? sm.attr("SharedMemory")(name, "create"_a = true, "size"_a = bytes) : sm.attr("SharedMemory")(name);
        if (!create) {
            // Python < 3.13 registers attached segments with the resource tracker too, which then
            // unlinks them when this process ends; the creator owns the segment.
            try {
                py::module_::import("multiprocessing.resource_tracker")
                    .attr("unregister")(shm.attr("_name"), "shared_memory");
            } catch (const py::error_already_set&) {
            }
        }
        guard->shm = shm;
        obj = shm.attr("buf");
    }
    try {
        export_memory(*guard, obj, as_writer, fn);
        guard->owner = guard->shm.is_none() ? guard->mapped : guard->shm;
        if (create)
            guard->writer.emplace(guard->memory);
        else if (as_writer)
            guard->writer.emplace(vecta::frame_ring::attach(guard->memory));
        guard->reader.emplace(const_memory(*guard));
        guard->checker.emplace(const_memory(*guard));
    } catch (...) {
        guard->view = py::none();
        guard->frames = py::none();
        if (!guard->shm.is_none()) {
            guard->shm.attr("close")();
            if (create) guard->shm.attr("unlink")();
        }
        if (!guard->mapped.is_none()) guard->mapped.attr("close")();
        throw;
    }
    return guard.release();
}

void close_ring(ring& r) {
    std::scoped_lock lk(r.mu, r.read_mu);  // a next_frame in another thread ends its wait slice first
    if (!r.view.is_none()) {
        r.writer.reset();
        r.reader.reset();
        r.checker.reset();
        r.frames.attr("release")();
        r.view.attr("release")();
        r.view = py::none();
        r.frames = py::none();
        r.owner = py::none();
    }
    // What open() mapped: closing fails while Frames still hold the memory; a later close() retries.
    try {
        if (!r.shm.is_none()) {
            r.shm.attr("close")();
            r.shm = py::none();
        }
        if (!r.mapped.is_none()) {
            r.mapped.attr("close")();
            r.mapped = py::none();
        }
    } catch (const py::error_already_set& e) {
        if (!e.matches(PyExc_BufferError)) throw;
        throw py::buffer_error(
            "vecta.FrameRing.close: Frame objects (or views made from them) still reference the memory; "
            "drop them and call close() again (the ring is closed already)");
    }
}

frame make_frame(const ring& r, const vecta::frame_view& f, std::uint64_t lost) {
    const auto off = static_cast<py::ssize_t>(f.data.data() - r.memory.data());
    frame out{r.frames[py::slice(off, off + static_cast<py::ssize_t>(f.data.size()), 1)], f, lost, *r.checker};
    return out;
}

/// The frames held now, oldest first (a fresh reader from the head), stopping at `limit`.
template <class Visit>
void each_held(ring& r, Visit visit) {
    if (r.writer) {
        for (const vecta::frame_view f : *r.writer)
            if (!visit(f)) return;
        return;
    }
    vecta::frame_reader rd(const_memory(r));
    for (std::uint64_t n = rd.available() + 1; n > 0; --n) {  // frames pushed meanwhile are not waited for
        const auto got = rd.try_next();
        if (!got || !visit(got.frame)) return;
    }
}

py::object py_next_frame(ring& r, const py::object& timeout) {
    constexpr std::string_view fn = "vecta.FrameRing.next_frame";
    live(r, fn);
    double seconds = -1;  // None: wait without limit
    if (!timeout.is_none()) {
        seconds = timeout.cast<double>();
        if (!(seconds >= 0)) fail(fn, "timeout must be None or >= 0 seconds");
    }
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    for (;;) {
        vecta::frame_read got;
        bool closed = false;
        {
            std::chrono::nanoseconds slice = std::chrono::milliseconds(100);  // then look at signals
            if (seconds >= 0) {
                const double left = seconds - std::chrono::duration<double>(clock::now() - start).count();
                slice = std::min<std::chrono::nanoseconds>(
                    slice, std::chrono::nanoseconds(static_cast<std::int64_t>(std::max(left, 0.0) * 1e9)));
            }
            // The cursor's lock is taken and released without the GIL (see ring::read_mu).
            py::gil_scoped_release nogil;
            std::lock_guard lk(r.read_mu);
            if (!r.reader)
                closed = true;
            else
                got = slice.count() > 0 ? r.reader->wait_next(slice) : r.reader->try_next();
        }
        if (closed || r.view.is_none()) closed_error(fn);
        if (got) return py::cast(make_frame(r, got.frame, got.lost));
        if (seconds >= 0 && clock::now() - start >= std::chrono::duration<double>(seconds)) return py::none();
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
}

class held_iterator {
public:
    explicit held_iterator(py::object ring_obj) : ring_obj_(std::move(ring_obj)), r_(ring_obj_.cast<ring&>()) {
        std::lock_guard lk(r_.mu);
        live(r_, "vecta.FrameRing.__iter__");
        reader_.emplace(const_memory(r_));
        left_ = reader_->available();
    }
    frame next() {
        std::lock_guard lk(r_.mu);
        live(r_, "vecta.FrameRing.__iter__");
        if (left_ == 0) throw py::stop_iteration();
        --left_;
        const auto got = reader_->try_next();
        if (!got) throw py::stop_iteration();
        return make_frame(r_, got.frame, got.lost);
    }

private:
    py::object ring_obj_;  // keeps the ring alive
    ring& r_;
    std::optional<vecta::frame_reader> reader_;
    std::uint64_t left_ = 0;
};

}  // namespace

void bind_frame_ring(py::module_& m) {
    py::class_<frame>(m, "Frame", R"doc(One frame of a FrameRing, zero copy.

data is a read-only memoryview into the ring's memory (np.frombuffer(frame.data, np.uint8) is a
NumPy view of it). Lifetime: the bytes are the frame's until the writer evicts it, after enough
later pushes to fill the ring; valid() tells whether that has happened (call it after using the
data), copy() returns the bytes copied and validated. While a Frame (or a view of its data) is
alive the memory stays mapped: FrameRing.close() and SharedMemory.close() raise BufferError.)doc")
        .def_property_readonly(
            "data",
            [](const frame& f) {
                // A new view each time: releasing it never releases the Frame's own hold on the memory.
                return py::reinterpret_steal<py::object>(PySequence_GetSlice(f.data.ptr(), 0, PY_SSIZE_T_MAX));
            },
            "Read-only memoryview of the bytes (zero copy).")
        .def_property_readonly("timestamp", [](const frame& f) { return f.view.timestamp; })
        .def_property_readonly(
            "sequence", [](const frame& f) { return f.view.sequence; },
            "Frames pushed before this one since the ring was formatted.")
        .def_property_readonly(
            "lost", [](const frame& f) { return f.lost; },
            "Frames this reader lost (overwritten before it read them) just before this one.")
        .def(
            "valid", [](const frame& f) { return f.checker.valid(f.view); },
            "True while the writer has not evicted the frame (the data still holds its bytes).")
        .def(
            "copy",
            [](const frame& f) {
                py::bytes out(nullptr, static_cast<py::ssize_t>(f.view.data.size()));
                auto* p = reinterpret_cast<std::byte*>(PyBytes_AS_STRING(out.ptr()));
                if (!f.checker.copy(f.view, {p, f.view.data.size()}))
                    throw py::value_error("vecta.Frame.copy: the frame was overwritten by the writer (lost)");
                return out;
            },
            "The bytes, copied then validated. Raises ValueError when the writer has evicted the frame.")
        .def("__len__", [](const frame& f) { return f.view.data.size(); })
        .def("__repr__",
             [](const frame& f) {
                 return "Frame(sequence=" + std::to_string(f.view.sequence) +
                        ", timestamp=" + std::to_string(f.view.timestamp) +
                        ", bytes=" + std::to_string(f.view.data.size()) + ")";
             })
        .def("__reduce_ex__", [](const frame&, py::object) -> py::object {
            throw py::type_error("vecta.Frame cannot be pickled (a view into shared memory); pickle frame.copy()");
        });

    py::class_<ring>(m, "FrameRing", R"doc(Ring of timestamped variable-length byte frames in one fixed buffer, for one
writer and any number of reader processes (vecta::frame_ring / vecta::frame_reader): the writer
never waits, the oldest frames are evicted to make room, readers are told how many frames they
lost. FrameRing.open(name, capacity=..., create=True) creates a ring in multiprocessing shared
memory (or a file, when name is a path) and is its writer; FrameRing.open(name) in another
process reads it (writer=True instead becomes the writer, repairing what a killed writer left).
FrameRing(capacity_bytes) / FrameRing(buffer=obj) format a private NumPy buffer / a writable
buffer; FrameRing.attach(buffer) reads an existing one. Frames are zero-copy Frame objects (see
Frame for the lifetime rule). close() or a with-block releases the memory; pickling raises
TypeError (pass the name to FrameRing.open instead). Calls from Python threads are serialized.)doc")
        .def(py::init(&new_ring), "capacity_bytes"_a = py::none(), py::kw_only(), "buffer"_a = py::none(),
             "Formats a new ring (the writer). Raises ValueError when the buffer is smaller than 160 bytes or not "
             "8-byte aligned, TypeError when it is not writable.")
        .def_static("attach", &attach_ring, "buffer"_a, py::kw_only(), "writer"_a = false,
                    "Opens the ring in buffer: a reader, or with writer=True the writer (repairs a killed "
                    "writer's half-written frame). Raises OSError when the buffer does not hold a valid ring.")
        .def_static("open", &open_ring, "name"_a, "capacity"_a = py::none(), py::kw_only(), "create"_a = false,
                    "writer"_a = py::none(),
                    "Opens a ring in multiprocessing shared memory `name`, or in a file when name is a path. "
                    "create=True makes it (capacity data bytes; FileExistsError if it exists) and is the writer; "
                    "otherwise a reader, or the writer with writer=True. Raises OSError for a missing or invalid "
                    "ring, ValueError for a bad capacity.")
        .def(
            "push",
            [](ring& r, std::uint64_t timestamp, const py::handle& frame_obj) {
                constexpr std::string_view fn = "vecta.FrameRing.push";
                {
                    std::lock_guard lk(r.mu);
                    live(r, fn);
                    if (!r.writer) fail(fn, "the ring was opened for reading (open with writer=True to push)");
                }
                py::object mv = py::reinterpret_steal<py::object>(PyMemoryView_FromObject(frame_obj.ptr()));
                if (!mv) {
                    PyErr_Clear();
                    throw py::type_error(std::string(fn) + ": frame must be a bytes-like object");
                }
                const Py_buffer* b = PyMemoryView_GET_BUFFER(mv.ptr());
                if (!PyBuffer_IsContiguous(b, 'C'))
                    throw py::type_error(std::string(fn) + ": frame must be C-contiguous");
                const std::span<const std::byte> bytes(static_cast<const std::byte*>(b->buf),
                                                       static_cast<std::size_t>(b->len));
                py::gil_scoped_release nogil;
                std::lock_guard lk(r.mu);
                if (!r.writer) closed_error(fn);
                return r.writer->push(timestamp, bytes);
            },
            "timestamp"_a, "frame"_a,
            "Appends a frame (any C-contiguous bytes-like object, e.g. a NumPy image); returns the number of frames "
            "evicted. Never waits for readers. Raises ValueError for a frame larger than max_frame_bytes or a "
            "timestamp below the newest frame's.")
        .def("next_frame", &py_next_frame, "timeout"_a = py::none(),
             "The next frame for this handle's reader cursor (a Frame; frame.lost counts frames overwritten before "
             "it could be read), waiting up to timeout seconds (None: until one comes; 0: do not wait). Returns "
             "None on timeout. The wait releases the GIL and uses a futex shared between processes.")
        .def(
            "frames",
            [](ring& r, const py::object& since) {
                std::lock_guard lk(r.mu);
                live(r, "vecta.FrameRing.frames");
                py::list out;
                const auto t = since.is_none() ? 0 : since.cast<std::uint64_t>();
                each_held(r, [&](const vecta::frame_view& f) {
                    if (f.timestamp >= t) out.append(make_frame(r, f, 0));
                    return true;
                });
                return out;
            },
            "since"_a = py::none(),
            "The frames held now, oldest first, as zero-copy Frames; only timestamps >= since if given.")
        .def(
            "__iter__", [](py::object self) { return held_iterator(std::move(self)); },
            "Iterates over the frames held when the iteration starts, oldest first, one zero-copy Frame at a time.")
        .def(
            "front",
            [](ring& r) {
                std::lock_guard lk(r.mu);
                live(r, "vecta.FrameRing.front");
                std::optional<frame> out;
                each_held(r, [&](const vecta::frame_view& f) {
                    out = make_frame(r, f, 0);
                    return false;
                });
                if (!out) throw py::index_error("vecta.FrameRing.front: the ring is empty");
                return *out;
            },
            "Oldest frame. Raises IndexError when empty.")
        .def(
            "back",
            [](ring& r) {
                std::lock_guard lk(r.mu);
                live(r, "vecta.FrameRing.back");
                std::optional<frame> out;
                if (r.writer) {
                    if (!r.writer->empty()) out = make_frame(r, r.writer->back(), 0);
                } else {
                    each_held(r, [&](const vecta::frame_view& f) {
                        out = make_frame(r, f, 0);
                        return true;
                    });
                }
                if (!out) throw py::index_error("vecta.FrameRing.back: the ring is empty");
                return *out;
            },
            "Newest frame. Raises IndexError when empty.")
        .def(
            "find",
            [](ring& r, std::uint64_t t) -> py::object {
                std::lock_guard lk(r.mu);
                live(r, "vecta.FrameRing.find");
                std::optional<frame> out;
                each_held(r, [&](const vecta::frame_view& f) {
                    if (f.timestamp < t) return true;
                    if (f.timestamp == t) out = make_frame(r, f, 0);
                    return false;
                });
                return out ? py::cast(*out) : py::none();
            },
            "timestamp"_a, "The first frame with this timestamp, or None.")
        .def(
            "clear",
            [](ring& r) {
                std::lock_guard lk(r.mu);
                live(r, "vecta.FrameRing.clear");
                if (!r.writer) fail("vecta.FrameRing.clear", "the ring was opened for reading");
                r.writer->clear();
            },
            "Removes every frame (writer only); sequence numbers go on.")
        .def("__len__",
             [](ring& r) {
                 std::lock_guard lk(r.mu);
                 live(r, "vecta.FrameRing.__len__");
                 if (r.writer) return static_cast<std::uint64_t>(r.writer->size());
                 return vecta::frame_reader(const_memory(r)).available();
             })
        .def("close", &close_ring,
             "Releases the memory (and closes the shared memory or file opened by open()). Idempotent. Raises "
             "BufferError while Frames still reference the memory. Does not unlink: see unlink().")
        .def(
            "unlink",
            [](ring& r) {
                if (r.name.is_none()) fail("vecta.FrameRing.unlink", "the ring was not made by FrameRing.open");
                if (r.is_path) {
                    py::module_::import("os").attr("remove")(r.name);
                    return;
                }
                py::object shm = py::module_::import("multiprocessing.shared_memory").attr("SharedMemory")(r.name);
                shm.attr("close")();
                shm.attr("unlink")();
            },
            "Removes the shared memory segment or file open() was given (the creator calls it when every process "
            "is done; before or after close()). Processes that have it open keep their mapping.")
        .def("__enter__", [](py::object self) { return self; })
        .def("__exit__", [](ring& r, py::args) { close_ring(r); })
        .def_property_readonly("closed", [](ring& r) { return r.view.is_none(); })
        .def_property_readonly(
            "writer", [](ring& r) { return r.writer.has_value(); }, "True for the writer's handle.")
        .def_property_readonly("capacity_bytes",
                               [](ring& r) { return live(r, "vecta.FrameRing").checker->capacity_bytes(); })
        .def_property_readonly("used_bytes",
                               [](ring& r) -> py::object {
                                   std::lock_guard lk(r.mu);
                                   live(r, "vecta.FrameRing.used_bytes");
                                   if (!r.writer) return py::none();
                                   return py::int_(r.writer->used_bytes());
                               })
        .def_property_readonly("max_frame_bytes",
                               [](ring& r) {
                                   return live(r, "vecta.FrameRing").checker->capacity_bytes() -
                                          vecta::frame_ring::record_overhead_bytes;
                               })
        .def_property_readonly("next_sequence",
                               [](ring& r) {
                                   std::lock_guard lk(r.mu);
                                   live(r, "vecta.FrameRing.next_sequence");
                                   if (r.writer) return r.writer->next_sequence();
                                   return r.checker->next_sequence() + r.checker->available();
                               })
        .def_property_readonly(
            "lost",
            [](ring& r) {
                live(r, "vecta.FrameRing.lost");
                py::gil_scoped_release nogil;
                std::lock_guard lk(r.read_mu);
                return r.reader ? r.reader->lost() : std::uint64_t{0};
            },
            "Frames next_frame has lost so far (overwritten before they were read).")
        .def_property_readonly(
            "buffer", [](ring& r) { return r.owner; },
            "The object holding the memory (NumPy array, bytearray, mmap, SharedMemory); do not write to it.")
        .def_static("record_bytes", &vecta::frame_ring::record_bytes, "n"_a,
                    "Bytes a frame of n payload bytes occupies: 32 + n rounded up to 8.")
        .def_property_readonly_static("header_bytes", [](py::object) { return vecta::frame_ring::header_bytes; })
        .def("__reduce_ex__",
             [](ring&, py::object) -> py::object {
                 throw py::type_error(
                     "vecta.FrameRing cannot be pickled (it is a handle on shared memory, a copy would silently "
                     "diverge); pass the name to FrameRing.open in the other process");
             })
        .def("__repr__", [](ring& r) {
            if (r.view.is_none()) return std::string("FrameRing(closed)");
            return std::string("FrameRing(") + (r.writer ? "writer" : "reader") +
                   ", capacity_bytes=" + std::to_string(r.checker->capacity_bytes()) + ")";
        });
    py::class_<held_iterator>(m, "_FrameIterator")
        .def("__iter__", [](py::object self) { return self; })
        .def("__next__", &held_iterator::next);
}

}  // namespace vpy
