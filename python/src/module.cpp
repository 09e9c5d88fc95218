// SPDX-License-Identifier: MIT
// python/src/module.cpp - the vecta Python module: exception mapping, similarity kernels
// (normalize, similarity_matrix, topk), BloomFilter and the williams functions; the image side is
// bound in images.cpp, FrameRing in frame_ring.cpp.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <type_traits>
#include <vecta/math/williams_bound.hpp>
#include <vecta/similarity/matrix.hpp>
#include <vecta/similarity/normalize.hpp>
#include <vecta/similarity/topk.hpp>
#include <vecta/structures/bloom_filter.hpp>

#include "common.hpp"

namespace vpy {
void bind_frame_ring(py::module_& m);  // frame_ring.cpp

namespace {

using namespace pybind11::literals;

// ---- similarity ------------------------------------------------------------------------------

vecta::metric parse_metric(const std::string& s, std::string_view fn) {
    return parse_enum<vecta::metric>(s, fn, "metric",
                                     {{"dot", vecta::metric::dot},
                                      {"cosine", vecta::metric::cosine},
                                      {"sqeuclidean", vecta::metric::sqeuclidean},
                                      {"euclidean", vecta::metric::euclidean},
                                      {"manhattan", vecta::metric::manhattan}});
}
vecta::gemm_path parse_path(const std::string& s, std::string_view fn) {
    return parse_enum<vecta::gemm_path>(s, fn, "path",
                                        {{"automatic", vecta::gemm_path::automatic},
                                         {"blocked", vecta::gemm_path::blocked},
                                         {"gemm", vecta::gemm_path::gemm}});
}

/// Which float type a pair of matrices has (both the same: float32 or float64).
bool pair_is_float(const py::array& q, const py::array& d, std::string_view fn) {
    const bool qf = has_dtype<float>(q), qd = has_dtype<double>(q);
    const bool df = has_dtype<float>(d), dd = has_dtype<double>(d);
    if (!qf && !qd) fail(fn, "queries must have dtype float32 or float64, got " + dtype_name(q));
    if (!df && !dd) fail(fn, "database must have dtype float32 or float64, got " + dtype_name(d));
    if (qf != df)
        fail(fn, "queries and database must have the same dtype, got " + dtype_name(q) + " and " + dtype_name(d));
    return qf;
}

template <class T>
py::array normalize_typed(const py::array& x, vecta::norm_kind kind, const py::object& out_obj) {
    constexpr std::string_view fn = "vecta.normalize";
    const auto in = matrix_in<T>(x, fn, "x");
    if (in.view.cols() == 0) fail(fn, "x must have rows of length >= 1, got shape " + shape_text(x));
    require_finite(in.view, fn, "x");
    const std::size_t rows = in.view.rows(), cols = in.view.cols();
    py::array out;
    vecta::matrix_view<T> ov;
    if (out_obj.is_none()) {
        py::array_t<T> o = in.one_d ? py::array_t<T>({static_cast<py::ssize_t>(cols)})
                                    : py::array_t<T>({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(cols)});
        ov = vecta::matrix_view<T>(o.mutable_data(), rows, cols);
        out = o;
    } else {
        if (!py::isinstance<py::array>(out_obj)) fail(fn, "out must be a numpy array or None");
        out = py::reinterpret_borrow<py::array>(out_obj);
        require_dtype<T>(out, fn, "out");
        if (out.ndim() != x.ndim() || !std::equal(x.shape(), x.shape() + x.ndim(), out.shape()))
            fail(fn, "out must have the shape of x " + shape_text(x) + ", got " + shape_text(out));
        if (!out.writeable()) fail(fn, "out must be writeable");
        const auto isz = static_cast<py::ssize_t>(sizeof(T));
        const py::ssize_t last = out.ndim() - 1;
        const bool ok = (out.shape(last) <= 1 || out.strides(last) == isz) &&
                        (out.ndim() == 1 || rows <= 1 ||
                         (out.strides(0) > 0 && out.strides(0) % isz == 0 &&
                          static_cast<std::size_t>(out.strides(0) / isz) >= cols));
        if (!ok) fail(fn, "out must have contiguous rows (unit stride along the last axis)");
        const std::size_t stride = out.ndim() == 2 && rows > 1 ? static_cast<std::size_t>(out.strides(0) / isz) : cols;
        ov = vecta::matrix_view<T>(static_cast<T*>(out.mutable_data()), rows, cols, stride == 0 ? 0 : stride);
    }
    {
        py::gil_scoped_release nogil;
        vecta::normalize(vecta::par, in.view, ov, {.norm = kind});
    }
    return out;
}

py::array py_normalize(const py::handle& x, const std::string& norm, const py::object& out) {
    constexpr std::string_view fn = "vecta.normalize";
    const auto kind = parse_enum<vecta::norm_kind>(
        norm, fn, "norm", {{"l2", vecta::norm_kind::l2}, {"l1", vecta::norm_kind::l1}, {"max", vecta::norm_kind::max}});
    const py::array a = as_array(x);
    if (has_dtype<float>(a)) return normalize_typed<float>(a, kind, out);
    if (has_dtype<double>(a)) return normalize_typed<double>(a, kind, out);
    fail(fn, "x must have dtype float32 or float64, got " + dtype_name(a));
}

/// ValueError naming both shapes when queries and database rows differ in length or are empty
/// (the C++ message speaks of queries.cols() and database.cols()).
template <class V>
void require_same_dim(const V& qv, const V& dv, const py::array& q, const py::array& d, std::string_view fn) {
    if (qv.view.cols() != dv.view.cols() || qv.view.cols() == 0)
        fail(fn, std::string("queries and database must have rows of the same length") +
                     (qv.view.cols() == 0 ? " >= 1" : "") + ", got shapes " + shape_text(q) + " and " + shape_text(d));
}

template <class T>
py::array matrix_typed(const py::array& q, const py::array& d, const vecta::matrix_params& p) {
    constexpr std::string_view fn = "vecta.similarity_matrix";
    const auto qv = matrix_in<T>(q, fn, "queries");
    const auto dv = matrix_in<T>(d, fn, "database");
    require_same_dim(qv, dv, q, d, fn);
    require_finite(qv.view, fn, "queries");
    require_finite(dv.view, fn, "database");
    const std::size_t nq = qv.view.rows(), nd = dv.view.rows();
    py::array_t<T> out({static_cast<py::ssize_t>(nq), static_cast<py::ssize_t>(nd)});
    vecta::matrix_view<T> ov(out.mutable_data(), nq, nd);
    {
        py::gil_scoped_release nogil;
        vecta::similarity_matrix(vecta::par, qv.view, dv.view, ov, p);
    }
    return out;
}

py::array py_similarity_matrix(const py::handle& queries, const py::handle& database, const std::string& metric,
                               const std::string& path) {
    constexpr std::string_view fn = "vecta.similarity_matrix";
    const vecta::matrix_params p{.metric = parse_metric(metric, fn), .path = parse_path(path, fn)};
    const py::array q = as_array(queries), d = as_array(database);
    return pair_is_float(q, d, fn) ? matrix_typed<float>(q, d, p) : matrix_typed<double>(q, d, p);
}

template <class T>
py::tuple topk_typed(const py::array& q, const py::array& d, const vecta::topk_params& p) {
    constexpr std::string_view fn = "vecta.topk";
    const auto qv = matrix_in<T>(q, fn, "queries");
    const auto dv = matrix_in<T>(d, fn, "database");
    require_same_dim(qv, dv, q, d, fn);
    require_finite(qv.view, fn, "queries");
    require_finite(dv.view, fn, "database");
    vecta::topk_result<T> r;
    {
        py::gil_scoped_release nogil;
        r = vecta::topk(vecta::par, qv.view, dv.view, p);
    }
    const auto nq = static_cast<py::ssize_t>(r.queries), k = static_cast<py::ssize_t>(r.k);
    static_assert(sizeof(std::size_t) == sizeof(std::int64_t));
    auto idx = owned_array<std::int64_t>(std::move(r.indices), {nq, k});
    auto scores = owned_array<T>(std::move(r.scores), {nq, k});
    return py::make_tuple(idx, scores);
}

py::tuple py_topk(const py::handle& queries, const py::handle& database, const py::handle& k, const std::string& metric,
                  const std::string& path) {
    constexpr std::string_view fn = "vecta.topk";
    const vecta::topk_params p{
        .k = size_arg(k, fn, "k", 1), .metric = parse_metric(metric, fn), .path = parse_path(path, fn)};
    const py::array q = as_array(queries), d = as_array(database);
    return pair_is_float(q, d, fn) ? topk_typed<float>(q, d, p) : topk_typed<double>(q, d, p);
}

// ---- buffers ---------------------------------------------------------------------------------

/// A contiguous buffer of an object (bytes, bytearray, memoryview, mmap, C-contiguous ndarray),
/// released on destruction.
class byte_buffer {
public:
    byte_buffer(const py::handle& obj, bool writable, std::string_view fn, std::string_view name) {
        const int flags = PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0);
        if (PyObject_GetBuffer(obj.ptr(), &view_, flags) != 0) {
            PyErr_Clear();
            throw py::type_error(std::string(fn) + ": " + std::string(name) + " must be a C-contiguous" +
                                 (writable ? " writable" : "") + " bytes-like object");
        }
        ok_ = true;
    }
    byte_buffer(const byte_buffer&) = delete;
    byte_buffer& operator=(const byte_buffer&) = delete;
    ~byte_buffer() {
        if (ok_) PyBuffer_Release(&view_);
    }
    std::span<std::byte> bytes() const noexcept {
        return {static_cast<std::byte*>(view_.buf), static_cast<std::size_t>(view_.len)};
    }

private:
    Py_buffer view_{};
    bool ok_ = false;
};

// ---- BloomFilter -----------------------------------------------------------------------------

struct bloom {
    explicit bloom(vecta::bloom_filter f) : filter(std::move(f)) {}
    vecta::bloom_filter filter;
    mutable std::shared_mutex mu;  // inserts exclusive, lookups shared (the GIL is released in batches)
};

// Key encoding (one rule per kind of key, whatever path a key takes: add / insert / contains /
// `in` / insert_many / contains_many, lists or arrays), so that no key inserted one way is missed
// when queried another way:
//   integer  int, bool, NumPy integer and bool scalars of every width, 0-d integer arrays,
//            elements of integer / bool arrays: the value as a uint64 (hasher's integer path).
//            The value must be in [0, 2**64): negative or larger values raise ValueError on every
//            path (a signed array's bit patterns are keys through a.view(np.uint64)).
//   str      str and numpy.str_: the UTF-8 bytes (a str and its UTF-8 encoding are one key).
//   bytes    bytes, bytearray, memoryview, numpy.bytes_ and other C-contiguous buffers that are
//            not NumPy arrays or scalars: their bytes in C order.
// TypeError for anything else: floats and other NumPy scalars, and NumPy arrays of ndim >= 1
// given as one key (their elements are keys in insert_many / contains_many; memoryview(a) or
// a.tobytes() makes the array's bytes one key).

/// numpy.generic and numpy.bool_, looked up once when the module is imported.
PyObject* np_generic_type = nullptr;
PyObject* np_bool_type = nullptr;

std::string type_name_of(const py::handle& obj) {
    return py::str(py::type::handle_of(obj).attr("__name__")).cast<std::string>();
}

/// The integer rule: the value of a Python int, in [0, 2**64) (ValueError otherwise).
std::uint64_t integer_key(PyObject* v, std::string_view fn) {
    const unsigned long long u = PyLong_AsUnsignedLongLong(v);
    if (u == static_cast<unsigned long long>(-1) && PyErr_Occurred()) {
        PyErr_Clear();
        fail(fn, "integer keys must be in [0, 2**64), got " + py::repr(py::handle(v)).cast<std::string>() +
                     " (a signed array's bit patterns are keys through a.view(numpy.uint64))");
    }
    return static_cast<std::uint64_t>(u);
}

/// Calls f with the key as std::uint64_t (integer rule), std::string_view (str rule, UTF-8) or a
/// byte span (bytes rule); see the encoding above.
template <class F>
auto with_key(const py::handle& key, std::string_view fn, F&& f) {
    PyObject* k = key.ptr();
    if (PyLong_Check(k)) return f(integer_key(k, fn));  // int, bool
    if (PyUnicode_Check(k)) {                           // str, numpy.str_
        Py_ssize_t n = 0;
        const char* s = PyUnicode_AsUTF8AndSize(k, &n);
        if (!s) throw py::error_already_set();
        return f(std::string_view(s, static_cast<std::size_t>(n)));
    }
    const bool bytes_like = PyBytes_Check(k) || PyByteArray_Check(k) || PyMemoryView_Check(k);  // numpy.bytes_ too
    if (!bytes_like && py::isinstance<py::array>(key)) {
        const auto a = py::reinterpret_borrow<py::array>(key);
        const char kind = a.dtype().kind();
        if (a.ndim() == 0 && (kind == 'i' || kind == 'u' || kind == 'b' || kind == 'O')) {
            const py::object item = a.attr("item")();
            return with_key(item, fn, std::forward<F>(f));
        }
        throw py::type_error(
            std::string(fn) + ": key must be one key (int, str or bytes-like), got a numpy array of shape " +
            shape_text(a) + " and dtype " + dtype_name(a) +
            " (insert_many / contains_many take arrays of keys; memoryview(a) is its bytes as one key)");
    }
    if (!bytes_like && np_generic_type && PyObject_IsInstance(k, np_generic_type) == 1) {
        if (PyObject_IsInstance(k, np_bool_type) == 1) return f(static_cast<std::uint64_t>(PyObject_IsTrue(k) == 1));
        if (PyIndex_Check(k)) {  // numpy integer scalars of every width
            const auto v = py::reinterpret_steal<py::object>(PyNumber_Index(k));
            if (!v) {
                PyErr_Clear();
            } else {
                return f(integer_key(v.ptr(), fn));
            }
        }
        throw py::type_error(std::string(fn) + ": key must be an int, str or bytes-like object, got numpy." +
                             type_name_of(key));
    }
    if (!bytes_like && PyIndex_Check(k)) {  // other objects with __index__ are integers
        const auto v = py::reinterpret_steal<py::object>(PyNumber_Index(k));
        if (!v) throw py::error_already_set();
        return f(integer_key(v.ptr(), fn));
    }
    if (bytes_like || PyObject_CheckBuffer(k)) {
        const byte_buffer b(key, false, fn, "key");
        const auto s = b.bytes();
        return f(std::span<const std::byte>(s.data(), s.size()));
    }
    throw py::type_error(std::string(fn) + ": key must be an int, str or bytes-like object, got " + type_name_of(key));
}

/// A non-negative integer keyword of BloomFilter (ValueError naming it otherwise; TypeError for
/// a bool, which would otherwise count as 0 or 1).
template <class U>
U count_arg(const py::object& v, std::string_view fn, const char* name) {
    if (PyBool_Check(v.ptr()) || py::isinstance(v, py::module_::import("numpy").attr("bool_")))
        throw py::type_error(std::string(fn) + ": " + name + " must be an integer, got bool");
    try {
        return v.cast<U>();
    } catch (const py::cast_error&) {
        fail(fn,
             std::string(name) + " must be a non-negative integer in range, got " + py::repr(v).cast<std::string>());
    }
}

bloom* make_bloom(const py::object& expected_items, double fpr, const py::object& bits, const py::object& megabytes,
                  const py::object& hashes, std::uint64_t seed) {
    constexpr std::string_view fn = "vecta.BloomFilter";
    const vecta::murmur3_hasher h{seed};
    const bool shape = !bits.is_none() || !megabytes.is_none();
    if (!expected_items.is_none() && shape) fail(fn, "give expected_items or bits / megabytes, not both");
    if (!expected_items.is_none() && !hashes.is_none())
        fail(fn,
             "hashes is chosen from expected_items and false_positive_rate; give hashes only with bits or megabytes");
    if (!expected_items.is_none())
        return new bloom(vecta::bloom_filter(
            vecta::bloom_sizing{.expected_items = count_arg<std::uint64_t>(expected_items, fn, "expected_items"),
                                .false_positive_rate = fpr},
            h));
    if (!shape) fail(fn, "give expected_items (and false_positive_rate), or bits or megabytes with hashes");
    return new bloom(vecta::bloom_filter(
        vecta::bloom_shape{.bits = bits.is_none() ? 0 : count_arg<std::uint64_t>(bits, fn, "bits"),
                           .megabytes = megabytes.is_none() ? 0.0 : megabytes.cast<double>(),
                           .hashes = hashes.is_none() ? 0u : count_arg<std::uint32_t>(hashes, fn, "hashes")},
        h));
}

bloom* bloom_from_bytes(const py::handle& data, std::uint64_t seed) {
    const byte_buffer b(data, false, "vecta.BloomFilter.from_bytes", "data");
    const auto s = b.bytes();
    py::gil_scoped_release nogil;
    return new bloom(vecta::bloom_filter::from_bytes({s.data(), s.size()}, vecta::murmur3_hasher{seed}));
}

py::bytes bloom_to_bytes(const bloom& f) {
    std::vector<std::byte> v;
    {
        py::gil_scoped_release nogil;
        std::shared_lock lk(f.mu);
        v = f.filter.to_bytes();
    }
    return py::bytes(reinterpret_cast<const char*>(v.data()), v.size());
}

/// True for an ndarray of integer or bool dtype (its elements follow the integer rule in bulk).
bool integer_array(const py::handle& keys) {
    if (!py::isinstance<py::array>(keys)) return false;
    const char kind = py::reinterpret_borrow<py::array>(keys).dtype().kind();
    return kind == 'i' || kind == 'u' || kind == 'b';
}

/// Elements of an integer or bool ndarray as a C-contiguous uint64 array of their values (the
/// integer rule): ValueError for a negative element.
py::array_t<std::uint64_t> u64_keys(const py::array& a, std::string_view fn) {
    if (a.dtype().kind() != 'i')
        return py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>::ensure(a);
    const auto s = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(a);
    const std::int64_t* p = s.data();
    const auto n = static_cast<std::size_t>(s.size());
    for (std::size_t i = 0; i < n; ++i)
        if (p[i] < 0)
            fail(fn, "integer keys must be in [0, 2**64), got " + std::to_string(p[i]) + " at flat index " +
                         std::to_string(i) + " (a signed array's bit patterns are keys through a.view(numpy.uint64))");
    return py::array_t<std::uint64_t>(s.request().shape, reinterpret_cast<const std::uint64_t*>(p), s);
}

/// The keys of a non-integer argument of insert_many / contains_many, one by one: an object
/// ndarray's elements (flattened) or any iterable's items. Other ndarrays raise TypeError.
py::object key_items(const py::handle& keys, std::string_view fn) {
    if (!py::isinstance<py::array>(keys)) {
        // A str or bytes-like is one key, not a sequence of keys: refuse it rather than insert its
        // characters or byte values one by one.
        if (py::isinstance<py::str>(keys) || py::isinstance<py::bytes>(keys) || py::isinstance<py::bytearray>(keys) ||
            py::isinstance<py::memoryview>(keys))
            throw py::type_error(std::string(fn) + ": keys must be an array or an iterable of keys, got one " +
                                 py::str(py::type::handle_of(keys).attr("__name__")).cast<std::string>() +
                                 " (for one key use insert / `in`)");
        if (!py::hasattr(keys, "__iter__"))
            throw py::type_error(std::string(fn) + ": keys must be an array or an iterable of keys, got " +
                                 py::str(py::type::handle_of(keys).attr("__name__")).cast<std::string>());
        return py::reinterpret_borrow<py::object>(keys);
    }
    const auto a = py::reinterpret_borrow<py::array>(keys);
    if (a.dtype().kind() != 'O')
        throw py::type_error(std::string(fn) +
                             ": keys must be an integer, bool or object array or an iterable of keys, "
                             "got an array of dtype " +
                             dtype_name(a));
    return a.attr("ravel")().attr("tolist")();
}

void bloom_insert_many(bloom& f, const py::handle& keys) {
    constexpr std::string_view fn = "vecta.BloomFilter.insert_many";
    if (integer_array(keys)) {
        const auto k = u64_keys(py::reinterpret_borrow<py::array>(keys), fn);
        const std::span<const std::uint64_t> s(k.data(), static_cast<std::size_t>(k.size()));
        py::gil_scoped_release nogil;
        std::unique_lock lk(f.mu);
        f.filter.insert_many(s);
        return;
    }
    for (const py::handle key : py::iter(key_items(keys, fn)))
        with_key(key, fn, [&](auto v) {
            std::unique_lock lk(f.mu);
            f.filter.insert(v);
        });
}

py::object bloom_contains_many(const bloom& f, const py::handle& keys) {
    constexpr std::string_view fn = "vecta.BloomFilter.contains_many";
    if (py::isinstance<py::array>(keys) && !integer_array(keys)) {
        // An object array: each element by its own rule, the answer shaped like the array.
        const auto a = py::reinterpret_borrow<py::array>(keys);
        const py::object items = key_items(keys, fn);  // TypeError for other dtypes (datetime64, float)
        py::array_t<bool> found(std::vector<py::ssize_t>(a.shape(), a.shape() + a.ndim()));
        bool* out = found.mutable_data();
        for (const py::handle key : py::iter(items))
            *out++ = with_key(key, fn, [&](auto v) {
                std::shared_lock lk(f.mu);
                return f.filter.contains(v);
            });
        return found;
    }
    if (py::isinstance<py::array>(keys)) {
        const auto k = u64_keys(py::reinterpret_borrow<py::array>(keys), fn);
        py::array_t<bool> found(k.request().shape);
        const std::size_t n = static_cast<std::size_t>(k.size());
        const std::span<const std::uint64_t> s(k.data(), n);
        const std::span<std::uint8_t> out(reinterpret_cast<std::uint8_t*>(found.mutable_data()), n);
        {
            py::gil_scoped_release nogil;
            std::shared_lock lk(f.mu);
            f.filter.contains_many(vecta::par, s, out);
        }
        return found;
    }
    py::list out;
    for (const py::handle key : py::iter(key_items(keys, fn)))
        out.append(with_key(key, fn, [&](auto v) {
            std::shared_lock lk(f.mu);
            return f.filter.contains(v);
        }));
    return out;
}

/// Locks two filters (exclusive a, shared b) in address order; a == b locks once.
void combine(bloom& a, const bloom& b, bool unite) {
    py::gil_scoped_release nogil;
    if (&a == &b) return;  // x | x == x & x == x
    std::unique_lock<std::shared_mutex> la(a.mu, std::defer_lock);
    std::shared_lock<std::shared_mutex> lb(b.mu, std::defer_lock);
    if (&a < &b) {
        la.lock();
        lb.lock();
    } else {
        lb.lock();
        la.lock();
    }
    if (unite)
        a.filter.unite(b.filter);
    else
        a.filter.intersect(b.filter);
}

bloom* copy_bloom(const bloom& f) {
    std::shared_lock lk(f.mu);
    return new bloom(f.filter);
}

// ---- errors --------------------------------------------------------------------------------

/// vecta's C++ message in Python's words (issue 21): "vecta::williams::batch_size: params.k ..." becomes
/// "vecta.williams.batch_size: k ...": the function as Python spells it, and the parameter-struct
/// prefix dropped, since the keyword arguments carry the struct fields' names; the C++ classes bound
/// under another name become the Python class ("vecta.bloom_filter: expected_items ..." ->
/// "vecta.BloomFilter: ...", stranger2 #10) and max_frame_bytes(), a property in Python, loses its "()".
std::string python_message(std::string s) {
    const std::size_t colon = s.find(": ");
    for (std::size_t i = s.find("::"); i != std::string::npos && i < colon; i = s.find("::", i)) s.replace(i, 2, ".");
    for (std::size_t i = s.find("params."); i != std::string::npos; i = s.find("params.", i)) s.erase(i, 7);
    constexpr std::pair<std::string_view, std::string_view> renames[] = {{"vecta.bloom_filter", "vecta.BloomFilter"},
                                                                         {"vecta.frame_ring", "vecta.FrameRing"},
                                                                         {"max_frame_bytes()", "max_frame_bytes"}};
    for (const auto& [cpp, python] : renames)
        if (const std::size_t i = s.find(cpp); i != std::string::npos) s.replace(i, cpp.size(), python);
    return s;
}

// ---- williams --------------------------------------------------------------------------------
// Every function takes a number or an array-like and applies element-wise (a NumPy ufunc's
// contract: same shape out, float64; a Python float / int for a scalar in). The arguments are
// counts: None or a non-number raises TypeError, NaN or a negative value ValueError, naming the
// argument (issue 21: efficiency(-5) returned -5.0).

bool is_array_like(const py::handle& x) {
    return py::isinstance<py::array>(x) || py::isinstance<py::list>(x) || py::isinstance<py::tuple>(x);
}

/// x as a C-contiguous float64 array (a 0-d array for a scalar). TypeError for None, str, bool-less
/// non-numbers and arrays of another kind than bool / integer / float.
py::array_t<double> real_values(const py::handle& x, std::string_view fn, std::string_view name) {
    const std::string what =
        std::string(fn) + ": " + std::string(name) + " must be a real number or an array of them, got ";
    if (!is_array_like(x)) {
        if (x.is_none() || py::isinstance<py::str>(x) || py::isinstance<py::bytes>(x) || !PyNumber_Check(x.ptr()) ||
            PyComplex_Check(x.ptr()))
            throw py::type_error(what + std::string(py::str(py::type::of(x).attr("__name__"))));
    }
    const py::array a = as_array(x);
    const char kind = a.dtype().kind();
    if (kind != 'b' && kind != 'i' && kind != 'u' && kind != 'f') throw py::type_error(what + "dtype " + dtype_name(a));
    return py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
}

/// Raises ValueError naming `name` for the first NaN or value below `lo` (at or below when strict).
void check_counts(const py::array_t<double>& a, std::string_view fn, std::string_view name, double lo, bool strict) {
    const double* p = a.data();
    for (py::ssize_t i = 0; i < a.size(); ++i) {
        const bool bad = std::isnan(p[i]) || (strict ? p[i] <= lo : p[i] < lo);
        if (!bad) continue;
        std::string where = a.ndim() == 0 ? "" : " at flat index " + std::to_string(i);
        if (std::isnan(p[i])) fail(fn, std::string(name) + " must not be NaN (got NaN" + where + ")");
        fail(fn, std::string(name) + " must be " + (strict ? "> " : ">= ") +
                     (lo == std::floor(lo) ? std::to_string(static_cast<long long>(lo)) : std::to_string(lo)) +
                     ", got " + py::repr(py::float_(p[i])).cast<std::string>() + where);
    }
}

/// f over every element of x (validated as counts >= lo), GIL released; `batched` (when given) runs
/// the whole array at once (the SIMD kernels of space_bound / sqrt_t_log_t_bound).
template <class F, class Batched = std::nullptr_t>
py::object elementwise_counts(const py::handle& x, std::string_view fn, std::string_view name, double lo, bool strict,
                              F f, Batched batched = nullptr) {
    const auto a = real_values(x, fn, name);
    check_counts(a, fn, name, lo, strict);
    py::array_t<double> out(std::vector<py::ssize_t>(a.shape(), a.shape() + a.ndim()));
    const std::size_t n = static_cast<std::size_t>(a.size());
    {
        py::gil_scoped_release nogil;
        if constexpr (std::is_same_v<Batched, std::nullptr_t>) {
            for (std::size_t i = 0; i < n; ++i) out.mutable_data()[i] = f(a.data()[i]);
        } else {
            batched(std::span<const double>(a.data(), n), std::span<double>(out.mutable_data(), n));
        }
    }
    if (!is_array_like(x)) return py::float_(out.data()[0]);
    return std::move(out);
}

/// n as counts >= 1 in uint64 (an int, or an array-like of integers; a 0-d array for a scalar).
/// TypeError for floats, None and non-integer arrays, ValueError for values < 1 or beyond 64 bits.
py::array_t<std::uint64_t> count_values(const py::handle& x, std::string_view fn, std::string_view name) {
    const std::string what =
        std::string(fn) + ": " + std::string(name) + " must be an integer or an array of integers, got ";
    if (!is_array_like(x)) {
        if (!PyIndex_Check(x.ptr()) || PyFloat_Check(x.ptr()))
            throw py::type_error(what + std::string(py::str(py::type::of(x).attr("__name__"))));
        const py::int_ v = py::reinterpret_steal<py::int_>(PyNumber_Index(x.ptr()));
        if (py::int_(1).attr("__gt__")(v).cast<bool>())
            fail(fn, std::string(name) + " must be >= 1, got " + py::repr(v).cast<std::string>());
        if (v.attr("__ge__")(py::int_(1).attr("__lshift__")(64)).cast<bool>())
            fail(fn, std::string(name) + " must be < 2**64, got " + py::repr(v).cast<std::string>());
        py::array_t<std::uint64_t> a(std::vector<py::ssize_t>{});
        a.mutable_data()[0] = v.cast<std::uint64_t>();
        return a;
    }
    const py::array a = as_array(x);
    const char kind = a.dtype().kind();
    if (kind != 'i' && kind != 'u') throw py::type_error(what + "dtype " + dtype_name(a));
    if (kind == 'i') {
        const auto s = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(a);
        for (py::ssize_t i = 0; i < s.size(); ++i)
            if (s.data()[i] < 1)
                fail(fn, std::string(name) + " must be >= 1, got " + std::to_string(s.data()[i]) + " at flat index " +
                             std::to_string(i));
    }
    auto u = py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>::ensure(a);
    for (py::ssize_t i = 0; i < u.size(); ++i)
        if (u.data()[i] < 1) fail(fn, std::string(name) + " must be >= 1, got 0 at flat index " + std::to_string(i));
    return u;
}

/// A keyword count (budget_bytes, item_bytes): None or an integer >= 1.
std::optional<std::size_t> optional_count(const py::handle& x, std::string_view fn, std::string_view name) {
    if (x.is_none()) return std::nullopt;
    if (!PyIndex_Check(x.ptr()) || PyFloat_Check(x.ptr()) || PyBool_Check(x.ptr()))
        throw py::type_error(std::string(fn) + ": " + std::string(name) + " must be an integer or None, got " +
                             std::string(py::str(py::type::of(x).attr("__name__"))));
    const py::int_ v = py::reinterpret_steal<py::int_>(PyNumber_Index(x.ptr()));
    if (v.attr("__lt__")(1).cast<bool>() || v.attr("__ge__")(py::int_(1).attr("__lshift__")(64)).cast<bool>())
        fail(fn, std::string(name) + " must be in [1, 2**64), got " + py::repr(v).cast<std::string>());
    return v.cast<std::size_t>();
}

void bind_williams(py::module_& w) {
    using namespace vecta::williams;
    w.def(
        "space_bound",
        [](const py::handle& t) {
            return elementwise_counts(
                t, "vecta.williams.space_bound", "t", 0.0, false, nullptr,
                [](std::span<const double> in, std::span<double> o) { space_bound(vecta::par, in, o); });
        },
        "t"_a,
        R"doc(sqrt(t) * log2(t), the batch-sizing heuristic (1 for t <= 1). t: a number, or an array-like
(element-wise, SIMD; returns float64 of t's shape). Raises TypeError for None or non-numbers,
ValueError for NaN or t < 0.)doc");
    w.def(
        "sqrt_t_log_t_bound",
        [](const py::handle& t) {
            return elementwise_counts(
                t, "vecta.williams.sqrt_t_log_t_bound", "t", 0.0, false, nullptr,
                [](std::span<const double> in, std::span<double> o) { sqrt_t_log_t_bound(vecta::par, in, o); });
        },
        "t"_a,
        R"doc(sqrt(t * log2(t)), Williams' O(sqrt(t log t)) space bound without its constant (1 for t <= 1).
Number or array-like and errors as space_bound.)doc");
    w.def(
        "efficiency",
        [](const py::handle& t) {
            return elementwise_counts(t, "vecta.williams.efficiency", "t", 0.0, false,
                                      [](double x) { return efficiency(x); });
        },
        "t"_a,
        "t / space_bound(t) (t for t <= 1), element-wise over arrays. Raises TypeError for non-numbers, "
        "ValueError for NaN or t < 0.");
    w.def(
        "space_saved",
        [](const py::handle& t) {
            return elementwise_counts(t, "vecta.williams.space_saved", "t", 0.0, true,
                                      [](double x) { return space_saved(x); });
        },
        "t"_a,
        "(t - space_bound(t)) / t * 100, in percent (negative for 0 < t < 1 and 4 < t < 16; 100 for +inf), "
        "element-wise over arrays. Raises TypeError for non-numbers, ValueError for NaN, t <= 0 or t below "
        "100 / DBL_MAX (about 5.56e-307, whose percentage overflows a float).");
    w.def(
        "batch_size",
        [](const py::handle& n, const py::handle& budget_bytes, const py::handle& item_bytes) -> py::object {
            constexpr std::string_view fn = "vecta.williams.batch_size";
            const auto budget = optional_count(budget_bytes, fn, "budget_bytes");
            const auto item = optional_count(item_bytes, fn, "item_bytes");
            if (budget.has_value() != item.has_value())
                throw py::type_error(std::string(fn) + ": give both budget_bytes and item_bytes, or neither");
            const auto a = count_values(n, fn, "n");
            py::array_t<std::uint64_t> out(std::vector<py::ssize_t>(a.shape(), a.shape() + a.ndim()));
            {
                py::gil_scoped_release nogil;
                for (py::ssize_t i = 0; i < a.size(); ++i)
                    out.mutable_data()[i] = budget ? batch_size(a.data()[i], *budget, *item) : batch_size(a.data()[i]);
            }
            if (!is_array_like(n)) return py::int_(out.data()[0]);
            return std::move(out);
        },
        "n"_a, "budget_bytes"_a = py::none(), "item_bytes"_a = py::none(),
        R"doc(Batch size for n items: floor(space_bound(n)) clamped to [1, n]; with budget_bytes and item_bytes,
also at most max(1, budget_bytes // item_bytes). n: an int or an array-like of integers (element-wise,
uint64 out). Raises TypeError for floats or None, ValueError for values < 1.)doc");
    w.def(
        "confidence_multiplier",
        [](const py::handle& n) {
            return elementwise_counts(n, "vecta.williams.confidence_multiplier", "n", 0.0, false,
                                      [](double x) { return confidence_multiplier(x); });
        },
        "n"_a,
        "0.85 + 0.15 * min(efficiency(n) / 10, 1), in [0.85, 1], element-wise over arrays. Raises TypeError for "
        "non-numbers, ValueError for NaN or n < 0.");
    w.def(
        "enhance_confidence",
        [](const py::handle& base, const py::handle& n) -> py::object {
            constexpr std::string_view fn = "vecta.williams.enhance_confidence";
            const auto b0 = real_values(base, fn, "base");
            const auto n0 = real_values(n, fn, "n");
            check_counts(n0, fn, "n", 0.0, false);
            for (py::ssize_t i = 0; i < b0.size(); ++i)
                if (!(b0.data()[i] >= 0.0 && b0.data()[i] <= 1.0))
                    fail(fn, "base must be in [0, 1], got " + py::repr(py::float_(b0.data()[i])).cast<std::string>());
            if (!is_array_like(base) && !is_array_like(n))
                return py::float_(enhance_confidence(b0.data()[0], n0.data()[0]));
            py::tuple bn;
            try {
                bn = py::module_::import("numpy").attr("broadcast_arrays")(b0, n0);
            } catch (py::error_already_set&) {
                fail(fn, "base " + shape_text(b0) + " and n " + shape_text(n0) + " must broadcast to one shape");
            }
            const auto b = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(bn[0]);
            const auto c = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(bn[1]);
            py::array_t<double> out(std::vector<py::ssize_t>(b.shape(), b.shape() + b.ndim()));
            for (py::ssize_t i = 0; i < b.size(); ++i)
                out.mutable_data()[i] = enhance_confidence(b.data()[i], c.data()[i]);
            return std::move(out);
        },
        "base"_a, "n"_a,
        "min(1, base * confidence_multiplier(n)), element-wise over arrays (broadcast together). Raises TypeError "
        "for non-numbers, ValueError for base outside [0, 1], NaN or n < 0.");
}

}  // namespace
}  // namespace vpy

// The compiled part of the package vecta (python/vecta/__init__.py re-exports every name).
PYBIND11_MODULE(_core, m) {
    namespace py = pybind11;
    using namespace pybind11::literals;
    using namespace vpy;
    m.doc() = R"doc(vecta: header-only C++20 kernels for image vectorization, similarity and streaming, from NumPy.

Arrays are read in place when their rows are contiguous (C-contiguous uint8 H x W / H x W x C
images, float32 / float64 matrices; other layouts are copied once) and results are new NumPy
arrays. Every kernel releases the GIL and runs on all cores (vecta::par). Errors:
vecta::invalid_argument -> ValueError, vecta::io_error -> OSError, with vecta's message.)doc";
    m.attr("__version__") = VECTA_PYTHON_VERSION;

    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const vecta::invalid_argument& e) {
            PyErr_SetString(PyExc_ValueError, python_message(e.what()).c_str());
        } catch (const vecta::io_error& e) {
            PyErr_SetString(PyExc_OSError, python_message(e.what()).c_str());
        }
    });

    bind_images(m);

    // ---- similarity
    m.def("normalize", &py_normalize, "x"_a, py::kw_only(), "norm"_a = "l2", "out"_a = py::none(),
          R"doc(Normalizes every row of x to unit norm ('l2', 'l1' or 'max'); zero rows stay zero.

x: rows x dim (or a 1-D vector) float32 / float64, read in place when rows are contiguous. out:
None (a new array) or an array of x's shape and dtype with contiguous rows; out=x normalizes in
place. Returns out. Raises ValueError for another dtype, ndim, dim 0, or an out that partially
overlaps x.)doc");
    m.def("similarity_matrix", &py_similarity_matrix, "queries"_a, "database"_a, py::kw_only(), "metric"_a = "dot",
          "path"_a = "automatic",
          R"doc(All-pairs metric: out[i, j] = metric(queries[i], database[j]).

queries: Q x dim, database: N x dim (1-D = one row), both float32 or both float64. metric: 'dot',
'cosine', 'sqeuclidean', 'euclidean', 'manhattan'. path: 'automatic', 'blocked', 'gemm'.
Returns Q x N of the inputs' dtype. Raises ValueError for other or mixed dtypes, different or zero
dimensions, an unknown metric or path.)doc");
    m.def("topk", &py_topk, "queries"_a, "database"_a, py::kw_only(), "k"_a = py::int_(10), "metric"_a = "cosine",
          "path"_a = "automatic",
          R"doc(For each query row, the k best database rows (highest dot / cosine, lowest distance), best first;
equal scores rank by lower index. NaN or infinite input raises ValueError; a NaN score (from sums
that overflow, e.g. the dot product of rows of 1e30 float32) ranks last.

queries: Q x dim, database: N x dim, both float32 or both float64. Returns (indices, scores):
Q x min(k, N) int64 and Q x min(k, N) of the inputs' dtype. Raises TypeError for a k that is no
int (bool included, as NumPy's indices), ValueError for k < 1, other or mixed dtypes, different or
zero dimensions.)doc");

    // ---- BloomFilter
    {
        const py::module_ np = py::module_::import("numpy");
        np_generic_type = py::object(np.attr("generic")).release().ptr();  // kept for the module's lifetime
        np_bool_type = py::object(np.attr("bool_")).release().ptr();
    }
    py::class_<bloom>(m, "BloomFilter",
                      R"doc(Classic Bloom filter (k probes by double hashing, MurmurHash3 with a 32-bit seed).

BloomFilter(expected_items, false_positive_rate=0.01) sizes it optimally;
BloomFilter(bits=..., hashes=...) or BloomFilter(megabytes=..., hashes=...) gives the shape.
Keys, one encoding per kind whatever the path (add, insert, contains, in, insert_many,
contains_many; lists or arrays): integers (int, bool, NumPy integer and bool scalars of every
width, elements of integer / bool arrays) by value, which must be in [0, 2**64) (ValueError
otherwise; a signed array's bit patterns through a.view(numpy.uint64)); str by its UTF-8 bytes (a
str and its UTF-8 bytes are the same key); bytes, bytearray, memoryview and other C-contiguous
buffers by their bytes. Floats, other NumPy scalars and arrays given as one key raise TypeError.
Thread-safe from Python (inserts exclusive, lookups shared); batches release the GIL. Pickles through
its byte format (to_bytes / from_bytes).)doc")
        .def(py::init(&make_bloom), "expected_items"_a = py::none(), "false_positive_rate"_a = 0.01, py::kw_only(),
             "bits"_a = py::none(), "megabytes"_a = py::none(), "hashes"_a = py::none(), "seed"_a = 0,
             "Raises ValueError for expected_items 0, a rate outside (0, 1), a bad shape or a seed >= 2**32.")
        .def(
            "insert",
            [](bloom& f, const py::handle& key) {
                with_key(key, "vecta.BloomFilter.insert", [&](auto v) {
                    std::unique_lock lk(f.mu);
                    f.filter.insert(v);
                });
            },
            "key"_a, "Adds a key (int, str or bytes-like).")
        .def(
            "add",
            [](bloom& f, const py::handle& key) {
                with_key(key, "vecta.BloomFilter.add", [&](auto v) {
                    std::unique_lock lk(f.mu);
                    f.filter.insert(v);
                });
            },
            "key"_a, "Same as insert (set-like name).")
        .def(
            "contains",
            [](const bloom& f, const py::handle& key) {
                return with_key(key, "vecta.BloomFilter.contains", [&](auto v) {
                    std::shared_lock lk(f.mu);
                    return f.filter.contains(v);
                });
            },
            "key"_a, "True when the key may have been inserted, False when it certainly was not.")
        .def("__contains__",
             [](const bloom& f, const py::handle& key) {
                 return with_key(key, "vecta.BloomFilter.__contains__", [&](auto v) {
                     std::shared_lock lk(f.mu);
                     return f.filter.contains(v);
                 });
             })
        .def("insert_many", &bloom_insert_many, "keys"_a,
             "Inserts every key: an integer or bool ndarray (values, GIL released), an object ndarray or an "
             "iterable of keys. Raises TypeError for arrays of other dtypes.")
        .def("contains_many", &bloom_contains_many, "keys"_a,
             "An integer, bool or object ndarray gives a bool ndarray of its shape (integer arrays in parallel, "
             "GIL released); another iterable gives a list of bool.")
        .def(
            "unite", [](bloom& a, const bloom& b) { combine(a, b, true); }, "other"_a,
            "Union in place. Raises ValueError unless bits, hashes and seed are equal.")
        .def(
            "intersect", [](bloom& a, const bloom& b) { combine(a, b, false); }, "other"_a,
            "Intersection in place. Raises ValueError unless bits, hashes and seed are equal.")
        .def(
            "__ior__",
            [](py::object self, const bloom& b) {
                combine(self.cast<bloom&>(), b, true);
                return self;
            },
            py::is_operator())
        .def(
            "__iand__",
            [](py::object self, const bloom& b) {
                combine(self.cast<bloom&>(), b, false);
                return self;
            },
            py::is_operator())
        .def(
            "__or__",
            [](const bloom& a, const bloom& b) {
                std::unique_ptr<bloom> c(copy_bloom(a));
                combine(*c, b, true);
                return c.release();
            },
            py::is_operator())
        .def(
            "__and__",
            [](const bloom& a, const bloom& b) {
                std::unique_ptr<bloom> c(copy_bloom(a));
                combine(*c, b, false);
                return c.release();
            },
            py::is_operator())
        .def("copy", &copy_bloom, "An independent copy.")
        .def("clear",
             [](bloom& f) {
                 std::unique_lock lk(f.mu);
                 f.filter.clear();
             })
        .def_property_readonly(
            "bits", [](const bloom& f) { return f.filter.bits(); }, "number of bits m")
        .def_property_readonly(
            "hashes", [](const bloom& f) { return f.filter.hashes(); }, "hash functions k")
        .def_property_readonly("seed", [](const bloom& f) { return f.filter.hash_function().seed; })
        .def_property_readonly("size_bytes", [](const bloom& f) { return f.filter.size_bytes(); })
        .def(
            "bits_set",
            [](const bloom& f) {
                std::shared_lock lk(f.mu);
                return f.filter.bits_set();
            },
            "Number of bits set.")
        .def(
            "estimated_count",
            [](const bloom& f) {
                std::shared_lock lk(f.mu);
                return f.filter.estimated_count();
            },
            "Estimated number of distinct keys inserted (Swamidass & Baldi).")
        .def(
            "false_positive_rate",
            [](const bloom& f) {
                std::shared_lock lk(f.mu);
                return f.filter.false_positive_rate();
            },
            "Current false-positive rate (bits_set / bits) ** hashes.")
        .def_static("theoretical_false_positive_rate", &vecta::bloom_filter::theoretical_false_positive_rate, "bits"_a,
                    "hashes"_a, "items"_a, "(1 - exp(-k n / m)) ** k.")
        .def("to_bytes", &bloom_to_bytes, "The serialized filter (vecta's byte format, CRC-32 protected).")
        .def_static("from_bytes", &bloom_from_bytes, "data"_a, py::kw_only(), "seed"_a = 0,
                    "Loads to_bytes output. Raises OSError for truncated or corrupt data or another seed.")
        .def("__eq__",
             [](const bloom& a, const py::object& b) {
                 if (!py::isinstance<bloom>(b)) return false;
                 const bloom& o = b.cast<const bloom&>();
                 if (&a == &o) return true;
                 const bloom* first = &a < &o ? &a : &o;
                 const bloom* second = &a < &o ? &o : &a;
                 std::shared_lock l1(first->mu), l2(second->mu);
                 return a.filter == o.filter;
             })
        .def("__copy__", &copy_bloom)
        .def("__deepcopy__", [](const bloom& f, const py::object&) { return copy_bloom(f); })
        .def(py::pickle([](const bloom& f) { return py::make_tuple(bloom_to_bytes(f), f.filter.hash_function().seed); },
                        [](const py::tuple& t) {
                            if (t.size() != 2) fail("vecta.BloomFilter.__setstate__", "bad state");
                            return bloom_from_bytes(t[0], t[1].cast<std::uint64_t>());
                        }))
        .def("__repr__", [](const bloom& f) {
            return "BloomFilter(bits=" + std::to_string(f.filter.bits()) +
                   ", hashes=" + std::to_string(f.filter.hashes()) + ")";
        });
    m.attr("BloomFilter").attr("__hash__") = py::none();

    bind_frame_ring(m);  // python/src/frame_ring.cpp

    // ---- williams (submodule, and the names of the Williams optimizer at the top level)
    py::module_ w = m.def_submodule("williams", "sqrt(t) log2(t) batch-sizing heuristics (vecta::williams).");
    bind_williams(w);
    for (const char* name : {"space_bound", "efficiency", "space_saved", "batch_size", "confidence_multiplier",
                             "enhance_confidence", "sqrt_t_log_t_bound"})
        m.attr(name) = w.attr(name);
}
