// SPDX-License-Identifier: MIT
// python/src/common.hpp - helpers shared by the translation units of the vecta Python module:
// NumPy array <-> vecta view conversion (zero-copy where the layout allows), owned result
// arrays, keyword enums as strings, and the declarations of the per-area bind functions.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vecta/core/error.hpp>
#include <vecta/core/image.hpp>
#include <vecta/similarity/matrix_view.hpp>
#include <vector>

namespace vpy {

namespace py = pybind11;

/// Raises ValueError("<fn>: <what>"), the style of vecta::invalid_argument messages.
[[noreturn]] inline void fail(std::string_view fn, const std::string& what) {
    throw py::value_error(std::string(fn) + ": " + what);
}

/// A file path argument as Python's open() takes it: str, bytes or os.PathLike (pathlib.Path).
/// Raises TypeError naming the argument for anything else.
inline std::string path_arg(const py::handle& v, std::string_view fn, std::string_view name) {
    if (py::isinstance<py::str>(v) || py::isinstance<py::bytes>(v)) return v.cast<std::string>();
    const py::module_ os = py::module_::import("os");
    if (py::isinstance(v, os.attr("PathLike"))) return os.attr("fspath")(v).cast<std::string>();
    throw py::type_error(std::string(fn) + ": " + std::string(name) + " must be a str, bytes or os.PathLike, got " +
                         py::str(py::type::handle_of(v).attr("__name__")).cast<std::string>());
}

/// "uint8", "float64", ... for messages.
inline std::string dtype_name(const py::array& a) { return py::str(a.dtype()).cast<std::string>(); }

inline std::string shape_text(const py::array& a) {
    std::string s = "(";
    for (py::ssize_t i = 0; i < a.ndim(); ++i) {
        if (i) s += ", ";
        s += std::to_string(a.shape(i));
    }
    if (a.ndim() == 1) s += ",";
    return s + ")";
}

template <class T>
const char* dtype_text() {
    if constexpr (std::is_same_v<T, std::uint8_t>) return "uint8";
    if constexpr (std::is_same_v<T, std::uint16_t>) return "uint16";
    if constexpr (std::is_same_v<T, std::int16_t>) return "int16";
    if constexpr (std::is_same_v<T, std::int32_t>) return "int32";
    if constexpr (std::is_same_v<T, float>) return "float32";
    if constexpr (std::is_same_v<T, double>) return "float64";
    return "?";
}

/// Any object as an ndarray (array-likes such as lists become arrays; no dtype change).
inline py::array as_array(const py::handle& obj) {
    if (py::isinstance<py::array>(obj)) return py::reinterpret_borrow<py::array>(obj);
    return py::array::ensure(obj);
}

template <class T>
bool has_dtype(const py::array& a) {
    return py::isinstance<py::array_t<T>>(a);
}

template <class T>
void require_dtype(const py::array& a, std::string_view fn, std::string_view name) {
    if (!has_dtype<T>(a))
        fail(fn, std::string(name) + " must have dtype " + dtype_text<T>() + ", got " + dtype_name(a));
}

/// A C-contiguous copy when the array's layout cannot be viewed directly.
template <class T>
py::array contiguous(const py::array& a) {
    return py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(a);
}

/// An image argument viewed in place: `keep` holds the array the view points into (the
/// caller's own array when its rows are contiguous, else a C-contiguous copy).
template <class T>
struct image_arg {
    py::array keep;
    vecta::image_view<const T> view;
    bool three_d = false;  ///< given as H x W x C (else H x W)
};

/// Views an ndarray of dtype T and shape H x W or H x W x C as an image_view without copying
/// when each row is contiguous (any row stride, e.g. a crop); copies otherwise. Raises ValueError
/// for another dtype or ndim.
template <class T>
image_arg<T> image_in(const py::handle& obj, std::string_view fn, std::string_view name) {
    image_arg<T> r;
    py::array a = as_array(obj);
    require_dtype<T>(a, fn, name);
    if (a.ndim() != 2 && a.ndim() != 3)
        fail(fn, std::string(name) + " must be a 2-D (H x W) or 3-D (H x W x C) array, got shape " + shape_text(a));
    const auto isz = static_cast<py::ssize_t>(sizeof(T));
    const std::size_t h = static_cast<std::size_t>(a.shape(0)), w = static_cast<std::size_t>(a.shape(1));
    const std::size_t c = a.ndim() == 3 ? static_cast<std::size_t>(a.shape(2)) : 1;
    bool direct = a.strides(0) >= 0 && a.strides(0) % isz == 0;
    if (a.ndim() == 3)
        direct = direct && (a.shape(2) <= 1 || a.strides(2) == isz) &&
                 (a.shape(1) <= 1 || a.strides(1) == static_cast<py::ssize_t>(c) * isz);
    else
        direct = direct && (a.shape(1) <= 1 || a.strides(1) == isz);
    direct = direct && (h <= 1 || static_cast<std::size_t>(a.strides(0) / isz) >= w * c);
    if (!direct) a = contiguous<T>(a);
    std::size_t stride = w * c;
    if (direct && h > 1) stride = static_cast<std::size_t>(a.strides(0) / isz);
    r.keep = a;
    r.three_d = a.ndim() == 3;
    r.view = vecta::image_view<const T>(static_cast<const T*>(a.data()), w, h, c, stride == 0 ? 0 : stride);
    return r;
}

/// New C-contiguous array of shape (h, w) or (h, w, c).
template <class T>
py::array_t<T> new_image(std::size_t h, std::size_t w, std::size_t c, bool three_d) {
    if (three_d)
        return py::array_t<T>({static_cast<py::ssize_t>(h), static_cast<py::ssize_t>(w), static_cast<py::ssize_t>(c)});
    return py::array_t<T>({static_cast<py::ssize_t>(h), static_cast<py::ssize_t>(w)});
}

template <class T>
vecta::image_view<T> view_of(py::array_t<T>& a, std::size_t c = 1) {
    const std::size_t h = static_cast<std::size_t>(a.shape(0)), w = static_cast<std::size_t>(a.shape(1));
    return vecta::image_view<T>(a.mutable_data(), w, h, c);
}

/// A matrix argument (rows x cols, or a 1-D vector as 1 x n) viewed in place when its rows are
/// contiguous, else copied.
template <class T>
struct matrix_arg {
    py::array keep;
    vecta::matrix_view<const T> view;
    bool one_d = false;
};

template <class T>
matrix_arg<T> matrix_in(const py::array& a0, std::string_view fn, std::string_view name) {
    matrix_arg<T> r;
    py::array a = a0;
    if (a.ndim() != 1 && a.ndim() != 2)
        fail(fn, std::string(name) + " must be a 1-D (n) or 2-D (rows x dim) array, got shape " + shape_text(a));
    const auto isz = static_cast<py::ssize_t>(sizeof(T));
    r.one_d = a.ndim() == 1;
    const std::size_t rows = r.one_d ? 1 : static_cast<std::size_t>(a.shape(0));
    const std::size_t cols = static_cast<std::size_t>(a.shape(r.one_d ? 0 : 1));
    bool direct;
    if (r.one_d)
        direct = a.shape(0) <= 1 || a.strides(0) == isz;
    else
        direct = (a.shape(1) <= 1 || a.strides(1) == isz) && a.strides(0) >= 0 && a.strides(0) % isz == 0 &&
                 (rows <= 1 || static_cast<std::size_t>(a.strides(0) / isz) >= cols);
    if (!direct) a = contiguous<T>(a);
    std::size_t stride = cols;
    if (direct && !r.one_d && rows > 1) stride = static_cast<std::size_t>(a.strides(0) / isz);
    r.keep = a;
    r.view = vecta::matrix_view<const T>(static_cast<const T*>(a.data()), rows, cols, stride == 0 ? 0 : stride);
    return r;
}

/// A size or count given as a Python object: TypeError("<fn>: <name> must be an integer, got <type>") for
/// floats, None, str, bool / numpy.bool_ (NumPy refuses them as indices) and other non-integers;
/// ValueError for a value below `min` or one beyond 64 bits.
inline std::size_t size_arg(const py::handle& x, std::string_view fn, std::string_view name, std::size_t min = 0) {
    if (!PyIndex_Check(x.ptr()) || PyFloat_Check(x.ptr()) || PyBool_Check(x.ptr()) ||
        std::string_view(Py_TYPE(x.ptr())->tp_name).starts_with("numpy.bool"))  // bool_ (NumPy 1), bool (2)
        throw py::type_error(std::string(fn) + ": " + std::string(name) + " must be an integer, got " +
                             std::string(py::str(py::type::of(x).attr("__name__"))));
    const auto v = py::reinterpret_steal<py::int_>(PyNumber_Index(x.ptr()));
    if (py::int_(min).attr("__gt__")(v).cast<bool>())
        fail(fn, std::string(name) + " must be >= " + std::to_string(min) + ", got " + py::repr(v).cast<std::string>());
    if (v.attr("__ge__")(py::int_(1).attr("__lshift__")(64)).cast<bool>())
        fail(fn, std::string(name) + " must be < 2**64, got " + py::repr(v).cast<std::string>());
    return v.cast<std::size_t>();
}

/// Raises ValueError("<fn>: <name> must be finite, without NaN or infinity (got nan at row r, column c)") for the first
/// value that is not finite, as scikit-learn's check_array does: NaN would rank or average silently
/// (issue 21). One pass over the rows (x - x is 0 exactly for finite x), O(rows * cols).
template <class T>
void require_finite(vecta::matrix_view<const T> v, std::string_view fn, std::string_view name) {
    for (std::size_t r = 0; r < v.rows(); ++r) {
        const T* p = v.row(r);
        T acc = 0;
        for (std::size_t c = 0; c < v.cols(); ++c) acc += p[c] - p[c];
        if (acc == 0) continue;
        for (std::size_t c = 0; c < v.cols(); ++c)
            if (!(p[c] - p[c] == 0))
                fail(fn, std::string(name) + " must be finite, without NaN or infinity (got " +
                             (p[c] != p[c] ? "nan"
                              : p[c] > 0   ? "inf"
                                           : "-inf") +
                             " at row " + std::to_string(r) + ", column " + std::to_string(c) + ")");
    }
}

/// Moves `c` (anything with data()) to the heap and returns an array over its memory that owns
/// it through a capsule: results computed by vecta reach Python without a copy.
template <class T, class Container>
py::array_t<T> owned_array(Container&& c, std::vector<py::ssize_t> shape, const void* data = nullptr) {
    using C = std::remove_cvref_t<Container>;
    auto* heap = new C(std::forward<Container>(c));
    py::capsule owner(heap, [](void* p) { delete static_cast<C*>(p); });
    const T* ptr = static_cast<const T*>(data ? data : static_cast<const void*>(heap->data()));
    return py::array_t<T>(std::move(shape), ptr, owner);
}

/// Parses a keyword given as a string into an enum: `choices` lists (name, value) pairs.
template <class E>
E parse_enum(const std::string& s, std::string_view fn, std::string_view name,
             std::initializer_list<std::pair<const char*, E>> choices) {
    std::string list;
    for (const auto& [n, v] : choices) {
        if (s == n) return v;
        if (!list.empty()) list += ", ";
        list += std::string("'") + n + "'";
    }
    fail(fn, std::string(name) + " must be one of " + list + ", got '" + s + "'");
}

// Bind functions of the translation units.
void bind_images(py::module_& m);

}  // namespace vpy
