// SPDX-License-Identifier: MIT
// python/src/images.cpp - bindings of the image side of vecta: k-means and quantization, Gaussian
// blur, Sobel, Canny, frame hashes and differences, contours, Douglas-Peucker, Bezier fitting,
// vectorize, image I/O and the compatibility helpers of the seed pipelines.
#include <algorithm>
#include <array>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <type_traits>
#include <variant>
#include <vecta/color/kmeans.hpp>
#include <vecta/color/palette_map.hpp>
#include <vecta/color/quantize.hpp>
#include <vecta/geometry/bezier_fit.hpp>
#include <vecta/geometry/douglas_peucker.hpp>
#include <vecta/geometry/find_contours.hpp>
#include <vecta/imgproc/canny.hpp>
#include <vecta/imgproc/content_hash.hpp>
#include <vecta/imgproc/frame_hash.hpp>
#include <vecta/imgproc/gaussian_blur.hpp>
#include <vecta/imgproc/gray.hpp>
#include <vecta/imgproc/over_white.hpp>
#include <vecta/imgproc/sobel.hpp>
#include <vecta/imgproc/tile_stats.hpp>
#include <vecta/io/image_file.hpp>
#include <vecta/vectorize.hpp>

#include "codecs.hpp"
#include "common.hpp"

namespace vpy {
namespace {

using namespace pybind11::literals;
using u8 = std::uint8_t;

vecta::border_mode parse_border(const std::string& s, std::string_view fn) {
    return parse_enum<vecta::border_mode>(s, fn, "border",
                                          {{"reflect101", vecta::border_mode::reflect101},
                                           {"replicate", vecta::border_mode::replicate},
                                           {"constant", vecta::border_mode::constant}});
}
vecta::kmeans_init parse_init(const std::string& s, std::string_view fn) {
    return parse_enum<vecta::kmeans_init>(
        s, fn, "init",
        {{"greedy_plus_plus", vecta::kmeans_init::greedy_plus_plus}, {"plus_plus", vecta::kmeans_init::plus_plus}});
}
vecta::kmeans_algorithm parse_algorithm(const std::string& s, std::string_view fn) {
    return parse_enum<vecta::kmeans_algorithm>(s, fn, "algorithm",
                                               {{"automatic", vecta::kmeans_algorithm::automatic},
                                                {"hamerly", vecta::kmeans_algorithm::hamerly},
                                                {"lloyd", vecta::kmeans_algorithm::lloyd}});
}

// ---- k-means and quantization ----------------------------------------------------------------

struct kmeans_out {
    py::array centroids, labels;
    double inertia = 0;
    std::size_t iterations = 0;
    bool converged = false;
};

template <class T>
kmeans_out kmeans_typed(const py::array& a, const vecta::kmeans_params& p, const py::object& weights) {
    constexpr std::string_view fn = "vecta.kmeans";
    if (a.ndim() != 2) fail(fn, "points must be a 2-D array (n x dim), got shape " + shape_text(a));
    const py::array pts = contiguous<T>(a);  // no copy when already C-contiguous
    const auto n = static_cast<std::size_t>(pts.shape(0)), dim = static_cast<std::size_t>(pts.shape(1));
    py::array w;
    std::span<const T> ws;
    if (!weights.is_none()) {
        py::array wa = as_array(weights);
        const char kind = wa.dtype().kind();
        if (kind != 'f' && kind != 'i' && kind != 'u')
            fail(fn, "weights must be an array of real numbers, got dtype " + dtype_name(wa));
        if (!has_dtype<T>(wa))  // other real dtypes are cast to the points' dtype, as NumPy does
            wa = py::array_t<T, py::array::forcecast>::ensure(wa);
        require_dtype<T>(wa, fn, "weights");
        if (wa.ndim() != 1) fail(fn, "weights must be a 1-D array of n values, got shape " + shape_text(wa));
        w = contiguous<T>(wa);
        ws = {static_cast<const T*>(w.data()), static_cast<std::size_t>(w.shape(0))};
    }
    const std::span<const T> ps(static_cast<const T*>(pts.data()), n * dim);
    require_finite(vecta::matrix_view<const T>(ps.data(), n, dim), fn, "points");
    if (!ws.empty()) require_finite(vecta::matrix_view<const T>(ws.data(), 1, ws.size()), fn, "weights");
    vecta::kmeans_result<T> r;
    {
        py::gil_scoped_release nogil;
        r = vecta::kmeans<T>(vecta::par, ps, dim == 0 ? 1 : dim, p, ws);
    }
    kmeans_out o;
    const auto k = static_cast<py::ssize_t>(r.centroids.size() / (dim == 0 ? 1 : dim));
    o.centroids = owned_array<T>(std::move(r.centroids), {k, static_cast<py::ssize_t>(dim)});
    o.labels = owned_array<std::uint32_t>(std::move(r.labels), {static_cast<py::ssize_t>(n)});
    o.inertia = r.inertia;
    o.iterations = r.iterations;
    o.converged = r.converged;
    return o;
}

kmeans_out py_kmeans(const py::handle& points, std::size_t k, std::size_t max_iter, double tol, std::uint64_t seed,
                     const std::string& init, const std::string& algorithm, const py::object& weights) {
    constexpr std::string_view fn = "vecta.kmeans";
    const vecta::kmeans_params p{.k = k,
                                 .max_iter = max_iter,
                                 .tol = tol,
                                 .seed = seed,
                                 .init = parse_init(init, fn),
                                 .algorithm = parse_algorithm(algorithm, fn)};
    const py::array a = as_array(points);
    if (has_dtype<float>(a)) return kmeans_typed<float>(a, p, weights);
    if (has_dtype<double>(a)) return kmeans_typed<double>(a, p, weights);
    fail(fn, "points must have dtype float32 or float64, got " + dtype_name(a));
}

/// The channel-order rule (issue 21): arrays are RGB(A); with bgr=True (OpenCV's order) a 3- or
/// 4-channel array is B, G, R(, A). swap_rb returns the other order (a copy); other shapes unchanged.
py::array swap_rb(const py::array& a) {
    if (a.ndim() != 3 || (a.shape(2) != 3 && a.shape(2) != 4)) return a;
    py::list order;
    for (int c : {2, 1, 0}) order.append(c);
    if (a.shape(2) == 4) order.append(3);
    return a.attr("__getitem__")(py::make_tuple(py::ellipsis(), order)).cast<py::array>();
}

/// An image argument in RGB order: the object itself, or its channel-swapped copy when bgr.
py::object rgb_in(const py::handle& image, bool bgr) {
    if (!bgr) return py::reinterpret_borrow<py::object>(image);
    return swap_rb(as_array(image));
}

struct quantize_out {
    vecta::quantize_result result;
    bool bgr = false;  ///< palette and image() in OpenCV's order
    py::array palette() const {
        const auto n = static_cast<py::ssize_t>(result.palette.size());
        py::array_t<u8> a({n, py::ssize_t(3)});
        auto* d = a.mutable_data();
        for (py::ssize_t i = 0; i < n; ++i)
            for (int c = 0; c < 3; ++c) d[i * 3 + (bgr ? 2 - c : c)] = result.palette[std::size_t(i)][std::size_t(c)];
        return a;
    }
};

quantize_out py_quantize(const py::handle& image, std::size_t colors, const std::string& space, std::size_t max_iter,
                         double tol, std::uint64_t seed, const std::string& init, const std::string& algorithm,
                         bool dither, const std::optional<std::size_t>& local_search, bool bgr) {
    constexpr std::string_view fn = "vecta.quantize";
    vecta::quantize_params p{
        .colors = colors,
        .space = parse_enum<vecta::color_space>(space, fn, "space",
                                                {{"rgb", vecta::color_space::rgb}, {"lab", vecta::color_space::lab}}),
        .max_iter = max_iter,
        .tol = tol,
        .seed = seed,
        .init = parse_init(init, fn),
        .algorithm = parse_algorithm(algorithm, fn),
        .dither = dither};
    // LocalSearch++ steps (a newer quantize_params field): None keeps the C++ default (automatic).
    [&](auto& params) {
        if constexpr (requires { params.local_search; }) {
            if (local_search && *local_search > vecta::quantize_local_search_max)
                fail(fn, "local_search must be None (automatic) or in 0.." +
                             std::to_string(vecta::quantize_local_search_max) + ", got " +
                             std::to_string(*local_search));
            if (local_search) params.local_search = *local_search;
        } else if (local_search) {
            fail(fn, "local_search is not supported by this vecta version");
        }
    }(p);
    const auto src = image_in<u8>(rgb_in(image, bgr), fn, "image");
    if (src.view.channels() == 2 || src.view.channels() > 4)
        fail(fn, "image must have 1, 3 or 4 channels, got shape " + shape_text(src.keep));
    quantize_out o;
    o.bgr = bgr;
    {
        py::gil_scoped_release nogil;
        // The alpha rule of every image function (issue 21): grey and RGBA are read as RGB over white
        // (vecta::rgb_over_white), as vectorize reads them.
        if (src.view.channels() == 3) {
            o.result = vecta::quantize(vecta::par, src.view, p);
        } else {
            const auto rgb = vecta::rgb_over_white(src.view);
            o.result = vecta::quantize(vecta::par, rgb.view(), p);
        }
    }
    return o;
}

// ---- edges -----------------------------------------------------------------------------------

template <class T>
py::array blur_typed(const py::handle& src, const vecta::gaussian_params& p) {
    const auto in = image_in<T>(src, "vecta.gaussian_blur", "src");
    auto out = new_image<T>(in.view.height(), in.view.width(), in.view.channels(), in.three_d);
    auto ov = view_of(out, in.view.channels());
    {
        py::gil_scoped_release nogil;
        vecta::gaussian_blur(vecta::par, in.view, ov, p);
    }
    return out;
}

py::array py_gaussian_blur(const py::handle& src, std::size_t ksize, double sigma, const std::string& border) {
    constexpr std::string_view fn = "vecta.gaussian_blur";
    const vecta::gaussian_params p{.ksize = ksize, .sigma = sigma, .border = parse_border(border, fn)};
    const py::array a = as_array(src);
    if (has_dtype<u8>(a)) return blur_typed<u8>(a, p);
    if (has_dtype<std::uint16_t>(a)) return blur_typed<std::uint16_t>(a, p);
    if (has_dtype<float>(a)) return blur_typed<float>(a, p);
    fail(fn, "src must have dtype uint8, uint16 or float32, got " + dtype_name(a));
}

/// A 1-channel u8 image (H x W or H x W x 1).
image_arg<u8> gray_in(const py::handle& src, std::string_view fn, std::string_view name = "src") {
    auto in = image_in<u8>(src, fn, name);
    if (in.view.channels() != 1)
        fail(fn, std::string(name) + " must be a single-channel (H x W) image, got shape " + shape_text(in.keep));
    return in;
}

py::tuple py_sobel(const py::handle& src, const std::string& border, bool scharr) {
    constexpr std::string_view fn = "vecta.sobel";
    const vecta::sobel_params p{.border = parse_border(border, fn), .scharr = scharr};
    const auto in = gray_in(src, fn);
    auto dx = new_image<std::int16_t>(in.view.height(), in.view.width(), 1, false);
    auto dy = new_image<std::int16_t>(in.view.height(), in.view.width(), 1, false);
    auto dxv = view_of(dx), dyv = view_of(dy);
    {
        py::gil_scoped_release nogil;
        vecta::sobel(vecta::par, in.view, dxv, dyv, p);
    }
    return py::make_tuple(dx, dy);
}

py::array py_sobel_magnitude(const py::handle& src, bool l2, const std::string& border, bool scharr, bool direction) {
    const std::string_view fn = direction ? "vecta.sobel_direction" : "vecta.sobel_magnitude";
    const vecta::sobel_magnitude_params p{.l2_gradient = l2, .border = parse_border(border, fn), .scharr = scharr};
    const auto in = gray_in(src, fn);
    auto out = new_image<float>(in.view.height(), in.view.width(), 1, false);
    auto ov = view_of(out);
    {
        py::gil_scoped_release nogil;
        if (direction)
            vecta::sobel_direction(vecta::par, in.view, ov, p);
        else
            vecta::sobel_magnitude(vecta::par, in.view, ov, p);
    }
    return out;
}

py::array py_canny(const py::handle& src, double low, double high, bool l2_gradient, const std::string& border) {
    constexpr std::string_view fn = "vecta.canny";
    const vecta::canny_params p{
        .low = low, .high = high, .l2_gradient = l2_gradient, .border = parse_border(border, fn)};
    const auto in = gray_in(src, fn);
    auto out = new_image<u8>(in.view.height(), in.view.width(), 1, false);
    auto ov = view_of(out);
    {
        py::gil_scoped_release nogil;
        vecta::canny(vecta::par, in.view, ov, p);
    }
    return out;
}

py::array py_to_gray(const py::handle& src, bool bgr) {
    const auto in = image_in<u8>(rgb_in(src, bgr), "vecta.to_gray", "src");
    auto out = new_image<u8>(in.view.height(), in.view.width(), 1, false);
    auto ov = view_of(out);
    {
        py::gil_scoped_release nogil;
        vecta::to_gray(vecta::par, in.view, ov);
    }
    return out;
}

py::tuple py_frame_difference(const py::handle& a, const py::handle& b, int threshold) {
    constexpr std::string_view fn = "vecta.frame_difference";
    const auto av = image_in<u8>(a, fn, "a");
    const auto bv = image_in<u8>(b, fn, "b");
    auto mask = new_image<u8>(av.view.height(), av.view.width(), 1, false);
    auto mv = view_of(mask);
    std::size_t count = 0;
    {
        py::gil_scoped_release nogil;
        count = vecta::frame_difference(vecta::par, av.view, bv.view, mv, threshold);
    }
    return py::make_tuple(count, mask);
}

std::uint64_t py_hash(const py::handle& src, const std::string& method, bool bgr) {
    constexpr std::string_view fn = "vecta.frame_hash";
    const bool average = parse_enum<bool>(method, fn, "method", {{"average", true}, {"difference", false}});
    const auto in = image_in<u8>(rgb_in(src, bgr), fn, "src");
    py::gil_scoped_release nogil;
    return average ? vecta::average_hash(vecta::par, in.view) : vecta::difference_hash(vecta::par, in.view);
}

// ---- frame monitoring: exact content hash, tile statistics ----------------------------------

/// XXH3-64 of the array's bytes in C order (img.tobytes()): read in place, row by row, when
/// every axis but the first is C-contiguous (crops of frames), else from a C-contiguous copy.
std::uint64_t py_content_hash(const py::handle& img, std::uint64_t seed) {
    constexpr std::string_view fn = "vecta.content_hash";
    if (!py::isinstance<py::array>(img))
        throw py::type_error(std::string(fn) + ": img must be a numpy array, got " +
                             py::str(py::type::handle_of(img).attr("__name__")).cast<std::string>());
    py::array a = py::reinterpret_borrow<py::array>(img);
    if (a.dtype().kind() == 'O') throw py::type_error(std::string(fn) + ": img must not have dtype object");
    bool rows_in_place = a.ndim() >= 2 && a.strides(0) >= 0;
    py::ssize_t expect = a.itemsize();
    for (py::ssize_t i = a.ndim() - 1; rows_in_place && i >= 1; --i) {
        if (a.shape(i) != 1 && a.strides(i) != expect) rows_in_place = false;
        expect *= a.shape(i);
    }
    // Rows must not overlap (a broadcast array has stride 0, as_strided may give less than a
    // row): such arrays are hashed from a C-contiguous copy, as their tobytes() is.
    if (rows_in_place && a.ndim() >= 2 && a.shape(0) > 1 && a.strides(0) < expect) rows_in_place = false;
    if (!rows_in_place && !(a.flags() & py::array::c_style)) a = py::array::ensure(a, py::array::c_style);
    const auto* data = static_cast<const std::uint8_t*>(a.data());
    const std::size_t rows = a.ndim() >= 2 ? static_cast<std::size_t>(a.shape(0)) : 1;
    const std::size_t row_bytes = rows == 0 ? 0 : static_cast<std::size_t>(a.nbytes()) / rows;
    const std::size_t stride = rows_in_place && rows > 1 ? static_cast<std::size_t>(a.strides(0)) : row_bytes;
    const vecta::image_view<const std::uint8_t> v =
        row_bytes == 0 || rows == 0 ? vecta::image_view<const std::uint8_t>{}
                                    : vecta::image_view<const std::uint8_t>(data, row_bytes, rows, 1, stride);
    py::gil_scoped_release nogil;
    return vecta::content_hash(v, seed);
}

py::tuple py_tile_stats(const py::handle& img, const py::handle& tile) {
    constexpr std::string_view fn = "vecta.tile_stats";
    const std::string rule = "tile must be (height, width), two integers >= 1, got ";
    if (!py::isinstance<py::sequence>(tile) || py::isinstance<py::str>(tile) || py::isinstance<py::bytes>(tile))
        throw py::type_error(std::string(fn) + ": " + rule + py::repr(tile).cast<std::string>());
    const auto seq = py::reinterpret_borrow<py::sequence>(tile);
    if (seq.size() != 2) fail(fn, rule + py::repr(tile).cast<std::string>());
    long long hw[2] = {0, 0};
    for (std::size_t i = 0; i < 2; ++i) {
        const py::object item = seq[i];
        if (!PyIndex_Check(item.ptr()))  // integers only (operator.index), as NumPy shapes
            throw py::type_error(std::string(fn) + ": " + rule + py::repr(tile).cast<std::string>());
        int overflow = 0;
        hw[i] = PyLong_AsLongLongAndOverflow(py::reinterpret_steal<py::object>(PyNumber_Index(item.ptr())).ptr(),
                                             &overflow);
        if (overflow > 0) hw[i] = std::numeric_limits<long long>::max();  // larger than any image: one tile
        if (overflow < 0 || hw[i] < 1) fail(fn, rule + py::repr(tile).cast<std::string>());
    }
    const long long th = hw[0], tw = hw[1];
    const auto in = image_in<u8>(img, fn, "img");
    const vecta::tile_params p{.width = static_cast<std::size_t>(tw), .height = static_cast<std::size_t>(th)};
    const std::size_t cn = in.view.channels();
    if (cn < 1 || cn > 4) fail(fn, "img must have 1 to 4 channels, got " + std::to_string(cn));
    const std::size_t tx = vecta::tile_count(in.view.width(), p.width),
                      ty = vecta::tile_count(in.view.height(), p.height);
    auto mean = new_image<double>(ty, tx, cn, true), sd = new_image<double>(ty, tx, cn, true);
    auto lo = new_image<u8>(ty, tx, cn, true), hi = new_image<u8>(ty, tx, cn, true);
    const auto mv = view_of(mean, cn), sv = view_of(sd, cn);
    const auto lv = view_of(lo, cn), hv = view_of(hi, cn);
    {
        py::gil_scoped_release nogil;
        vecta::tile_stats(vecta::par, in.view, p, mv, sv, lv, hv);
    }
    return py::make_tuple(mean, sd, lo, hi);
}

// ---- geometry --------------------------------------------------------------------------------

struct contour_out {
    py::array points;
    bool hole = false;
    int parent = -1;
};

std::vector<contour_out> py_find_contours(const py::handle& binary, const std::string& mode) {
    constexpr std::string_view fn = "vecta.find_contours";
    const vecta::contour_params p{
        .mode = parse_enum<vecta::retrieval>(mode, fn, "mode",
                                             {{"list", vecta::retrieval::list}, {"tree", vecta::retrieval::tree}})};
    const auto in = gray_in(binary, fn, "binary");
    std::vector<vecta::contour> cs;
    {
        py::gil_scoped_release nogil;
        cs = vecta::find_contours(vecta::par, in.view, p);
    }
    static_assert(sizeof(vecta::point2<int>) == 2 * sizeof(std::int32_t));
    std::vector<contour_out> out;
    out.reserve(cs.size());
    for (auto& c : cs) {
        const auto n = static_cast<py::ssize_t>(c.points.size());
        out.push_back({owned_array<std::int32_t>(std::move(c.points), {n, 2}), c.hole, c.parent});
    }
    return out;
}

/// Douglas-Peucker on an n x D array of T viewed as std::array<T, D> points.
template <class T, std::size_t D>
std::vector<std::size_t> dp_typed(const py::array& a, double epsilon, bool closed) {
    const py::array c = contiguous<T>(a);
    static_assert(sizeof(std::array<T, D>) == D * sizeof(T));
    const std::span<const std::array<T, D>> pts(static_cast<const std::array<T, D>*>(c.data()),
                                                static_cast<std::size_t>(c.shape(0)));
    py::gil_scoped_release nogil;
    return vecta::douglas_peucker_indices(vecta::seq, pts, {.epsilon = epsilon, .closed = closed});
}

py::array py_dp(const py::handle& points, double epsilon, bool closed, bool indices) {
    const std::string_view fn = indices ? "vecta.douglas_peucker_indices" : "vecta.douglas_peucker";
    const py::array given = as_array(points);
    // OpenCV's contours are n x 1 x 2: computed as n x 2, returned in the caller's layout (m x 1 x 2).
    py::array a = given;
    if (given.ndim() == 3 && given.shape(1) == 1)
        a = given.attr("reshape")(given.shape(0), given.shape(2)).cast<py::array>();
    if (a.ndim() != 2 || (a.shape(1) != 2 && a.shape(1) != 3))
        fail(fn, "points must be an n x 2 or n x 3 array (or OpenCV's n x 1 x 2), got shape " + shape_text(given));
    const bool three = a.shape(1) == 3;
    // Other integer dtypes (a list of Python ints is int64): as int32 when every value fits, else float64.
    const char kind = a.dtype().kind();
    if ((kind == 'i' || kind == 'u') && !has_dtype<std::int32_t>(a) && a.size() > 0) {
        const bool fits = !three &&
                          a.attr("min")().cast<py::int_>().attr("__ge__")(-(std::int64_t(1) << 31)).cast<bool>() &&
                          a.attr("max")().cast<py::int_>().attr("__lt__")(std::int64_t(1) << 31).cast<bool>();
        a = fits ? py::array(py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>::ensure(a))
                 : py::array(py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a));
    }
    std::vector<std::size_t> idx;
    try {
        if (has_dtype<double>(a))
            idx = three ? dp_typed<double, 3>(a, epsilon, closed) : dp_typed<double, 2>(a, epsilon, closed);
        else if (has_dtype<float>(a))
            idx = three ? dp_typed<float, 3>(a, epsilon, closed) : dp_typed<float, 2>(a, epsilon, closed);
        else if (has_dtype<std::int32_t>(a) && !three)
            idx = dp_typed<std::int32_t, 2>(a, epsilon, closed);
        else
            fail(fn, "points must have dtype float64 or float32 (n x 2 or n x 3) or integers (n x 2), got " +
                         dtype_name(given) + " with shape " + shape_text(given));
    } catch (const vecta::invalid_argument& e) {  // "vecta::douglas_peucker_indices: ..." under this function's name
        const std::string w = e.what();
        throw vecta::invalid_argument(std::string(fn) + ": " + w.substr(std::min(w.size(), w.find(": ") + 2)));
    }
    const auto m = static_cast<py::ssize_t>(idx.size());
    if (indices) {
        static_assert(sizeof(std::size_t) == sizeof(std::int64_t));
        return owned_array<std::int64_t>(std::move(idx), {m});
    }
    // Gather the kept rows of the caller's array (numpy fancy indexing keeps the dtype and n x 1 x 2).
    py::array_t<std::int64_t> ia({m});
    std::copy(idx.begin(), idx.end(), ia.mutable_data());
    return given.attr("__getitem__")(ia).attr("copy")().cast<py::array>();
}

py::array py_bezier_fit(const py::handle& points, double max_error, double corner_angle_deg, bool closed) {
    constexpr std::string_view fn = "vecta.bezier_fit";
    const py::array a = as_array(points);
    if (a.ndim() != 2 || a.shape(1) != 2) fail(fn, "points must be an n x 2 array, got shape " + shape_text(a));
    if (!has_dtype<double>(a) && !has_dtype<float>(a) && !has_dtype<std::int32_t>(a))
        fail(fn, "points must have dtype float64, float32 or int32, got " + dtype_name(a));
    const py::array c = contiguous<double>(a);  // float32 / int32 are converted to float64
    const std::span<const std::array<double, 2>> pts(static_cast<const std::array<double, 2>*>(c.data()),
                                                     static_cast<std::size_t>(c.shape(0)));
    const vecta::bezier_params p{.max_error = max_error, .corner_angle_deg = corner_angle_deg, .closed = closed};
    std::vector<vecta::cubic_bezier> curves;
    {
        py::gil_scoped_release nogil;
        curves = vecta::bezier_fit(pts, p);
    }
    static_assert(sizeof(vecta::cubic_bezier) == 8 * sizeof(double));
    const auto n = static_cast<py::ssize_t>(curves.size());
    return owned_array<double>(std::move(curves), {n, 4, 2});
}

// ---- vectorize -------------------------------------------------------------------------------

/// A field of a parameter struct that a vectorize keyword sets from a dict (struct_from_dict).
template <class S>
struct py_field {
    const char* name;
    std::variant<double S::*, std::size_t S::*, bool S::*> member;
};

/// A parameter struct given as a vectorize keyword `arg` (salient_colors, centerline): None keeps
/// `s` (the defaults), a dict sets the fields it names, spelt as in C++. TypeError for another
/// type, a key that is not a field (`note` says why for a field left out on purpose) or a value
/// of the wrong kind (a real number, an integer or a bool, as the field); ValueError for an
/// integer below 0 or above 2**64 - 1. The ranges are vectorize's to check (ValueError naming
/// "<arg>.<field>").
template <class S>
S struct_from_dict(const py::object& given, S s, std::string_view fn, std::string_view arg,
                   std::initializer_list<py_field<S>> fields, std::string_view note = {}) {
    const auto type_error = [&](const std::string& what) { throw py::type_error(std::string(fn) + ": " + what); };
    const auto type_name = [](const py::handle& v) {
        return py::str(py::type::of(v).attr("__name__")).cast<std::string>();
    };
    if (given.is_none()) return s;
    if (!py::isinstance<py::dict>(given))
        type_error(std::string(arg) + " must be None or a dict of its fields, got " + type_name(given));
    for (const auto& [k, v] : py::cast<py::dict>(given)) {
        if (!py::isinstance<py::str>(k)) type_error(std::string(arg) + " keys must be str, got " + type_name(k));
        const std::string key = py::cast<std::string>(k), name = std::string(arg) + "." + key;
        const auto f = std::find_if(fields.begin(), fields.end(), [&](const py_field<S>& x) { return key == x.name; });
        if (f == fields.end()) {
            std::string list;
            for (const auto& x : fields) list += (list.empty() ? "" : ", ") + std::string(x.name);
            type_error(std::string(arg) + " has no field '" + key + "'" + std::string(note) + " (fields: " + list +
                       ")");
        }
        std::visit(
            [&](auto member) {
                using T = std::remove_reference_t<decltype(s.*member)>;
                if constexpr (std::is_same_v<T, bool>) {
                    const std::string t = type_name(v);  // numpy's bool_ ("bool" in NumPy 2) too
                    if (!py::isinstance<py::bool_>(v) && t != "bool_" && t != "bool")
                        type_error(name + " must be a bool, got " + t);
                    s.*member = py::cast<bool>(v);
                } else if constexpr (std::is_same_v<T, double>) {
                    if (py::isinstance<py::str>(v) || py::isinstance<py::bytes>(v) || v.is_none() ||
                        !PyNumber_Check(v.ptr()))
                        type_error(name + " must be a real number, got " + type_name(v));
                    const double x = PyFloat_AsDouble(v.ptr());
                    if (x == -1.0 && PyErr_Occurred()) {
                        const bool overflow = PyErr_ExceptionMatches(PyExc_OverflowError);
                        PyErr_Clear();
                        if (overflow)  // an integer beyond a double's range: a value error, as NumPy's
                            fail(fn,
                                 name + " is out of the range of a double, got " + py::cast<std::string>(py::repr(v)));
                        type_error(name + " must be a real number, got " + type_name(v));
                    }
                    s.*member = x;
                } else {
                    // A bool is an int in Python, but True for a count is a caller's mistake.
                    if (py::isinstance<py::bool_>(v) || !PyIndex_Check(v.ptr()))
                        type_error(name + " must be an integer, got " + type_name(v));
                    const auto i = py::reinterpret_steal<py::object>(PyNumber_Index(v.ptr()));
                    if (!i) throw py::error_already_set();
                    const unsigned long long x = PyLong_AsUnsignedLongLong(i.ptr());
                    if (x == static_cast<unsigned long long>(-1) && PyErr_Occurred()) {
                        PyErr_Clear();
                        fail(fn, name + " must be an integer in [0, 2**64), got " + py::cast<std::string>(py::repr(i)));
                    }
                    s.*member = static_cast<std::size_t>(x);
                }
            },
            f->member);
    }
    return s;
}

/// The geometry of vectorize(keep_paths=True): one dict per <path> / <rect> element, in paint
/// order (vecta::vector_path): color (r, g, b), opacity, fill_rule, stroke_width, ops (a str of
/// SVG command letters M, L, C, Z) and points (m x 2 float64 in input pixels: 1 per M and L, 3
/// per C).
py::list paths_to_python(vecta::vector_paths&& g) {
    static_assert(sizeof(vecta::point2d) == 2 * sizeof(double));
    py::list out;
    for (vecta::vector_path& vp : g.paths) {
        std::string ops;
        ops.reserve(vp.ops.size());
        for (const vecta::path_op op : vp.ops)
            ops.push_back(op == vecta::path_op::move    ? 'M'
                          : op == vecta::path_op::line  ? 'L'
                          : op == vecta::path_op::cubic ? 'C'
                                                        : 'Z');
        const auto n = static_cast<py::ssize_t>(vp.points.size());
        out.append(py::dict("color"_a = py::make_tuple(vp.color[0], vp.color[1], vp.color[2]), "opacity"_a = vp.opacity,
                            "fill_rule"_a = vp.rule == vecta::fill_rule::evenodd ? "evenodd" : "nonzero",
                            "stroke_width"_a = vp.stroke_width, "ops"_a = py::str(ops),
                            "points"_a = owned_array<double>(std::move(vp.points), {n, 2})));
    }
    return out;
}

py::tuple py_vectorize(const py::handle& image, const std::string& mode, std::size_t colors, std::uint64_t seed,
                       double tolerance, double corner_angle_deg, std::size_t smooth_min_area,
                       std::size_t curve_min_area, int precision, std::size_t max_paths, std::size_t max_nodes,
                       const std::string& palette, const std::optional<std::size_t>& speckle,
                       const std::optional<double>& alphamax, int upscale, int threshold, bool bgr, long long max_bytes,
                       double min_psnr, const py::object& background, bool stroke_colors, bool salient,
                       std::size_t region_colors, double split_psnr, const py::object& salient_colors,
                       const py::object& centerline, bool keep_paths) {
    constexpr std::string_view fn = "vecta.vectorize";
    if (threshold < 0 || threshold > 255) fail(fn, "threshold must be in [0, 255]");
    vecta::vectorize_params p;
    p.mode = parse_enum<vecta::trace_mode>(mode, fn, "mode",
                                           {{"color", vecta::trace_mode::color},
                                            {"binary", vecta::trace_mode::binary},
                                            {"centerline", vecta::trace_mode::centerline}});
    p.colors = colors;
    p.seed = seed;
    p.tolerance = tolerance;
    p.corner_angle_deg = corner_angle_deg;
    p.smooth_min_area = smooth_min_area;
    p.curve_min_area = curve_min_area;
    p.precision = precision;
    p.max_paths = max_paths;
    p.max_nodes = max_nodes;
    p.palette = parse_enum<vecta::palette_mode>(
        palette, fn, "palette",
        {{"automatic", vecta::palette_mode::automatic}, {"kmeans", vecta::palette_mode::kmeans}});
    p.speckle = speckle ? *speckle : vecta::vectorize_params::auto_speckle;
    if (alphamax && !(*alphamax >= 0 && *alphamax <= 4.0 / 3.0))  // -1 is C++'s "automatic" sentinel
        fail(fn, "alphamax must be None (automatic) or in [0, 4/3], got " +
                     py::repr(py::float_(*alphamax)).cast<std::string>());
    p.alphamax = alphamax ? *alphamax : vecta::vectorize_params::auto_alphamax;
    p.upscale = upscale;
    p.threshold = static_cast<u8>(threshold);
    if (max_bytes < 0) fail(fn, "max_bytes must be >= 0 (0 = no size budget)");
    p.max_bytes = static_cast<std::size_t>(max_bytes);
    p.min_psnr = min_psnr;            // NaN, negative, > 99: vectorize raises ValueError naming min_psnr
    p.stroke_colors = stroke_colors;  // outside centerline mode: vectorize raises ValueError naming stroke_colors
    p.salient = salient;
    p.region_colors = region_colors;  // above 65536: vectorize raises ValueError naming region_colors
    p.split_psnr = split_psnr;        // NaN, negative, > 100: vectorize raises ValueError naming split_psnr
    // The fields' ranges: vectorize raises ValueError naming salient_colors.<field> and
    // centerline.<field>, in every mode.
    using sp = vecta::salient_params;
    p.salient_colors = struct_from_dict<sp>(salient_colors, p.salient_colors, fn, "salient_colors",
                                            {{"threshold", &sp::threshold},
                                             {"min_pixels", &sp::min_pixels},
                                             {"rounds", &sp::rounds},
                                             {"groups", &sp::groups},
                                             {"split", &sp::split},
                                             {"skip_mixes", &sp::skip_mixes}});
    using cp = vecta::centerline_params;
    p.centerline = struct_from_dict<cp>(centerline, p.centerline, fn, "centerline",
                                        {{"min_stroke_length", &cp::min_stroke_length},
                                         {"spur_ratio", &cp::spur_ratio},
                                         {"spur_length", &cp::spur_length},
                                         {"width_quantum", &cp::width_quantum},
                                         {"width_tolerance", &cp::width_tolerance},
                                         {"curve_tolerance", &cp::curve_tolerance},
                                         {"corner_angle_deg", &cp::corner_angle_deg},
                                         {"stroke_width", &cp::stroke_width},
                                         {"max_turn_deg", &cp::max_turn_deg},
                                         {"fill_elongation", &cp::fill_elongation},
                                         {"fill_ratio", &cp::fill_ratio}},
                                        " (the ink threshold is vectorize's threshold keyword)");
    p.keep_paths = keep_paths;
    if (!background.is_none()) {  // a colour (r, g, b) of ints in 0..255, in (b, g, r) order with bgr
        if (py::isinstance<py::str>(background) || !py::isinstance<py::sequence>(background))
            throw py::type_error("vecta.vectorize: background must be None or a sequence of 3 ints, got " +
                                 std::string(py::str(py::type::of(background).attr("__name__"))));
        const auto seq = background.cast<py::sequence>();
        if (seq.size() != 3) fail(fn, "background must have 3 values (r, g, b), got " + std::to_string(seq.size()));
        std::array<u8, 3> c{};
        for (std::size_t i = 0; i < 3; ++i) {
            const py::object v = seq[i];
            if (!py::isinstance<py::int_>(v) && !py::hasattr(v, "__index__"))
                throw py::type_error("vecta.vectorize: background values must be integers");
            const long long x = v.attr("__index__")().cast<long long>();
            if (x < 0 || x > 255) fail(fn, "background values must be in [0, 255], got " + std::to_string(x));
            c[bgr ? 2 - i : i] = static_cast<u8>(x);
        }
        p.background = c;
    }
    const auto in = image_in<u8>(rgb_in(image, bgr), fn, "image");
    vecta::vectorize_result r;
    {
        py::gil_scoped_release nogil;
        r = vecta::vectorize(vecta::par, in.view, p);
    }
    py::dict stats("ms"_a = r.stats.ms, "paths"_a = r.stats.paths, "nodes"_a = r.stats.nodes, "bytes"_a = r.stats.bytes,
                   "colors"_a = r.stats.colors, "quantize_psnr"_a = r.stats.quantize_psnr,
                   "regions"_a = r.stats.regions, "precision"_a = r.stats.precision,
                   "units_per_pixel"_a = r.stats.units_per_pixel, "regions_split"_a = r.stats.regions_split);
    if (p.max_bytes || p.min_psnr != 0) {
        const auto& b = r.stats.budget;
        stats["budget"] = py::dict(
            "met"_a = r.budget_met, "psnr"_a = b.psnr, "colors"_a = b.colors,
            "speckle"_a =
                b.speckle == vecta::vectorize_params::auto_speckle ? py::object(py::none()) : py::int_(b.speckle),
            "tolerance"_a = b.tolerance, "precision"_a = b.precision, "passes"_a = b.passes, "renders"_a = b.renders);
    }
    if (!keep_paths) return py::make_tuple(py::str(r.document), stats);
    return py::make_tuple(py::str(r.document), stats, paths_to_python(std::move(r.paths)));
}

// ---- io and compatibility helpers ------------------------------------------------------------

/// The bytes of a bytes-like object (bytes, bytearray, memoryview, numpy uint8).
std::span<const unsigned char> bytes_of(const py::buffer& b, py::buffer_info& info, std::string_view fn,
                                        std::string_view name) {
    info = b.request();
    const bool contiguous_bytes =
        info.ndim <= 1 && (info.ndim == 0 || info.shape[0] <= 1 || info.strides[0] == info.itemsize);
    if (!contiguous_bytes) fail(fn, std::string(name) + " must be a contiguous bytes-like object");
    return {static_cast<const unsigned char*>(info.ptr), static_cast<std::size_t>(info.size * info.itemsize)};
}

py::array image_to_array(vecta::image<u8>&& img) {
    const auto h = static_cast<py::ssize_t>(img.height()), w = static_cast<py::ssize_t>(img.width()),
               c = static_cast<py::ssize_t>(img.channels());
    if (c == 1) return owned_array<u8>(std::move(img), {h, w});
    return owned_array<u8>(std::move(img), {h, w, c});
}

/// vecta.ImageDecodeError (a ValueError and an OSError): undecodable image bytes (issue 21).
PyObject* image_decode_error = nullptr;

/// Runs `f` (GIL released) and prefixes a codecs::decode_error with the Python function's name.
template <class F>
auto decoding(std::string_view fn, F&& f) {
    try {
        py::gil_scoped_release nogil;
        return f();
    } catch (const vecta::codecs::decode_error& e) {
        throw vecta::codecs::decode_error(std::string(fn) + ": " + e.what());
    }
}

/// codecs::encode with the Python function's name and argument names in its errors.
std::string encoding(std::string_view fn, vecta::image_view<const u8> img, vecta::codecs::format fmt, int quality,
                     bool lossless, int compression) {
    if (quality < 1 || quality > 100) fail(fn, "quality must be in 1..100, got " + std::to_string(quality));
    if (compression < -1 || compression > 9)
        fail(fn, "compression must be in -1..9, got " + std::to_string(compression));
    try {
        py::gil_scoped_release nogil;
        return vecta::codecs::encode(img, fmt, {.quality = quality, .lossless = lossless, .compression = compression});
    } catch (const vecta::invalid_argument& e) {  // "vecta::codecs::encode: img ..." -> "<fn>: image ..."
        std::string m = e.what();
        m = m.substr(std::min(m.size(), m.find(": ") + 2));
        if (m.starts_with("img ")) m.replace(0, 3, "image");
        fail(fn, m);
    }
}

vecta::codecs::format parse_format(const std::string& s, std::string_view fn) {
    const auto f = vecta::codecs::format_from_name(s);
    if (f == vecta::codecs::format::other)
        fail(fn, "format must be 'png', 'jpeg', 'jpg', 'webp', 'tiff' or 'tif', got '" + s + "'");
    return f;
}

py::array py_decode_image(const py::buffer& data, int channels, std::size_t max_pixels, bool bgr,
                          bool apply_orientation) {
    constexpr std::string_view fn = "vecta.decode_image";
    if (channels < 0 || channels > 4)
        fail(fn, "channels must be 0 (as in the file) or 1..4, got " + std::to_string(channels));
    if (max_pixels < 1) fail(fn, "max_pixels must be >= 1");
    py::buffer_info info;
    const auto bytes = bytes_of(data, info, fn, "data");
    auto img = decoding(fn, [&] {
        return vecta::codecs::decode(
            bytes, {.channels = channels, .max_pixels = max_pixels, .apply_orientation = apply_orientation}, "data");
    });
    const py::array a = image_to_array(std::move(img));
    return bgr ? swap_rb(a) : a;
}

py::array py_load_image(const py::handle& path_obj, int channels, std::size_t max_pixels, bool bgr,
                        bool apply_orientation) {
    constexpr std::string_view fn = "vecta.load_image";
    const std::string path = path_arg(path_obj, fn, "path");
    if (channels < 0 || channels > 4)
        fail(fn, "channels must be 0 (as in the file) or 1..4, got " + std::to_string(channels));
    if (max_pixels < 1) fail(fn, "max_pixels must be >= 1");
    auto img = decoding(fn, [&] {
        const vecta::codecs::decode_params params{
            .channels = channels, .max_pixels = max_pixels, .apply_orientation = apply_orientation};
        // io_error -> OSError; at most max_input_bytes (/dev/zero, an endless FIFO)
        const std::vector<unsigned char> bytes = vecta::io::read_file(path, vecta::codecs::max_input_bytes(params));
        return vecta::codecs::decode(bytes, params, "path '" + path + "'");
    });
    const py::array a = image_to_array(std::move(img));
    return bgr ? swap_rb(a) : a;
}

py::bytes py_encode_image(const py::handle& image, const std::string& format, int quality, bool bgr, bool lossless,
                          int compression) {
    constexpr std::string_view fn = "vecta.encode_image";
    const auto fmt = parse_format(format, fn);
    const auto in = image_in<u8>(rgb_in(image, bgr), fn, "image");
    return py::bytes(encoding(fn, in.view, fmt, quality, lossless, compression));
}

void py_save_image(const py::handle& path_obj, const py::handle& image, int quality, bool bgr, bool lossless,
                   int compression) {
    constexpr std::string_view fn = "vecta.save_image";
    const std::string path = path_arg(path_obj, fn, "path");
    const auto fmt = vecta::codecs::format_from_name(std::filesystem::path(path).extension().string());
    if (fmt == vecta::codecs::format::other)
        fail(fn, "path must end in .png, .jpg, .jpeg, .webp, .tif or .tiff, got '" + path + "'");
    const auto in = image_in<u8>(rgb_in(image, bgr), fn, "image");
    const std::string bytes = encoding(fn, in.view, fmt, quality, lossless, compression);
    py::gil_scoped_release nogil;
    vecta::io::write_file_atomic(path, bytes);
}

/// quantize_colors clusters at most about this many pixels: a regular subsample of larger images.
constexpr std::size_t quantize_colors_sample = std::size_t(1) << 15;

py::bytes py_quantize_colors(const py::buffer& image_bytes, std::size_t k, std::size_t max_iter) {
    constexpr std::string_view fn = "vecta.quantize_colors";
    if (k < 1 || k > 65536) fail(fn, "k must be in 1..65536, got " + std::to_string(k));
    py::buffer_info info;
    const auto bytes = bytes_of(image_bytes, info, fn, "image_bytes");
    return py::bytes(decoding(fn, [&] {
        // Alpha composited over white (the alpha rule).
        auto img = vecta::codecs::decode(bytes, {}, "image_bytes");
        if (img.channels() != 3) img = vecta::rgb_over_white(img.view());
        const std::size_t w = img.width(), h = img.height();
        // The palette from a regular subsample of about 2^15 pixels (every s-th pixel of every s-th
        // row, s = ceil(sqrt(pixels / 2^15)): 4 at 600 x 600), then every pixel mapped to its nearest
        // palette colour. The k-means cost (the colour table, the Lloyd passes over the distinct
        // colours) falls with the sample; the PSNR moves by a few hundredths of a dB (docs/python.md).
        vecta::quantize_params qp{.colors = k, .max_iter = max_iter};
        vecta::quantize_result q;
        std::size_t step = 1;
        while (w * h > quantize_colors_sample * step * step) ++step;
        if (step > 1) {
            vecta::image<u8> sub((w + step - 1) / step, (h + step - 1) / step, 3);
            for (std::size_t y = 0; y < sub.height(); ++y) {
                const u8* s = img.view().row(step * y);
                u8* d = sub.view().row(y);
                for (std::size_t x = 0; x < sub.width(); ++x, d += 3, s += 3 * step)
                    d[0] = s[0], d[1] = s[1], d[2] = s[2];
            }
            const auto palette = vecta::quantize(vecta::par, sub.view(), qp).palette;
            q = vecta::map_to_palette(vecta::par, img.view(), std::span(palette));
        } else {
            q = vecta::quantize(vecta::par, img.view(), qp);
        }
        // Up to 256 colours an indexed PNG (the palette and 4-bit indices for 16 colours): a sixth
        // of the RGB bytes through libdeflate at level 1 (faster than zlib's level 2 and a few
        // per cent smaller); decoders return the same RGB (docs/python.md).
        return vecta::codecs::encode_png_labels(q.labels.view(), q.palette, {.compression = 1});
    }));
}

py::bytes py_detect_edges_sobel(const py::buffer& image_bytes, double threshold) {
    constexpr std::string_view fn = "vecta.detect_edges_sobel";
    py::buffer_info info;
    const auto bytes = bytes_of(image_bytes, info, fn, "image_bytes");
    return py::bytes(decoding(fn, [&] {
        auto img = vecta::codecs::decode(bytes, {}, "image_bytes");
        if (img.channels() == 2) img = vecta::codecs::decode(bytes, {.channels = 1}, "image_bytes");
        const auto edges = vecta::detect_edges_sobel(vecta::par, img, threshold);
        return vecta::codecs::encode(edges.view(), vecta::codecs::format::png,
                                     {.compression = 2, .png_filters = false});
    }));
}

py::array py_detect_edges_sobel_array(const py::handle& src, double threshold, bool bgr) {
    const auto in = image_in<u8>(rgb_in(src, bgr), "vecta.sobel_edges", "src");
    vecta::image<u8> out;
    {
        py::gil_scoped_release nogil;
        out = vecta::detect_edges_sobel(vecta::par, in.view, threshold);
    }
    return image_to_array(std::move(out));
}

}  // namespace

void bind_images(py::module_& m) {
    // ---- k-means and quantization
    py::class_<kmeans_out>(m, "KMeansResult", "Result of vecta.kmeans.")
        .def_readonly("centroids", &kmeans_out::centroids, "k x dim array, the dtype of the points")
        .def_readonly("labels", &kmeans_out::labels, "n uint32: index of each point's centroid (ties to the lower)")
        .def_readonly("inertia", &kmeans_out::inertia, "sum of (weighted) squared distances to the assigned centroids")
        .def_readonly("iterations", &kmeans_out::iterations, "Lloyd iterations run")
        .def_readonly("converged", &kmeans_out::converged, "stopped on tol rather than max_iter")
        .def("__repr__", [](const kmeans_out& r) {
            return "KMeansResult(k=" + std::to_string(r.centroids.shape(0)) +
                   ", inertia=" + py::repr(py::float_(r.inertia)).cast<std::string>() +
                   ", iterations=" + std::to_string(r.iterations) + ", converged=" + (r.converged ? "True" : "False") +
                   ")";
        });
    m.def("kmeans", &py_kmeans, "points"_a, py::kw_only(), "k"_a = 8, "max_iter"_a = 100, "tol"_a = 1e-4, "seed"_a = 0,
          "init"_a = "greedy_plus_plus", "algorithm"_a = "automatic", "weights"_a = py::none(),
          R"doc(k-means clustering: greedy k-means++ seeding then Lloyd iterations (Hamerly's exact bounds from k = 48).

points: n x dim array, float32 or float64 (read in place when C-contiguous).
k, max_iter, tol, seed, init ('greedy_plus_plus' | 'plus_plus'), algorithm ('automatic' | 'hamerly' |
'lloyd'): as vecta::kmeans_params. weights: None or n non-negative values of the points' dtype.
Returns KMeansResult (centroids k x dim, labels n uint32, inertia, iterations, converged).
Deterministic for a seed; runs on all cores with the GIL released.
Raises ValueError for another dtype or shape, k outside [1, n], max_iter 0, negative tol, NaN or
infinite values, bad weights (message of vecta::invalid_argument).)doc");

    py::class_<quantize_out>(m, "QuantizeResult", "Result of vecta.quantize.")
        .def_property_readonly("palette", &quantize_out::palette, "m x 3 uint8 sRGB palette (m <= colors)")
        .def_property_readonly(
            "labels",
            [](py::object self) {
                auto& r = self.cast<quantize_out&>().result;
                // A view of the result's own label image, kept alive by the result object.
                return py::array_t<std::uint16_t>(
                    {static_cast<py::ssize_t>(r.labels.height()), static_cast<py::ssize_t>(r.labels.width())},
                    r.labels.data(), self);
            },
            "H x W uint16 index into palette (a view that keeps the result alive)")
        .def_property_readonly(
            "psnr", [](const quantize_out& q) { return q.result.psnr; },
            "PSNR (dB) of the quantized image vs the input, capped at 99")
        .def(
            "image",
            [](const quantize_out& q) {
                const auto& l = q.result.labels;
                auto out = new_image<u8>(l.height(), l.width(), 3, true);
                auto ov = view_of(out, 3);
                {
                    py::gil_scoped_release nogil;
                    vecta::apply_palette(vecta::par, q.result, ov);
                }
                return q.bgr ? swap_rb(out) : py::array(out);
            },
            "The quantized image: H x W x 3 uint8, palette[labels] (B, G, R when quantize had bgr=True).")
        .def("__repr__", [](const quantize_out& q) {
            return "QuantizeResult(colors=" + std::to_string(q.result.palette.size()) + ", shape=(" +
                   std::to_string(q.result.labels.height()) + ", " + std::to_string(q.result.labels.width()) +
                   "), psnr=" + py::repr(py::float_(q.result.psnr)).cast<std::string>() + ")";
        });
    m.def("quantize", &py_quantize, "image"_a, py::kw_only(), "colors"_a = 16, "space"_a = "rgb", "max_iter"_a = 10,
          "tol"_a = 1e-4, "seed"_a = 0, "init"_a = "greedy_plus_plus", "algorithm"_a = "automatic", "dither"_a = false,
          "local_search"_a = py::none(), "bgr"_a.none(false) = false,
          R"doc(Colour quantization of an RGB image to at most `colors` colours (k-means on the distinct colours,
weighted by their counts, in 'rgb' or 'lab' space; optional Floyd-Steinberg dithering).

image: H x W x 3 uint8 (RGB; any row stride is read in place); H x W grey and H x W x 4 RGBA are read
as RGB over white (alpha composited, as vectorize does).
Keywords as vecta::quantize_params (local_search: None = automatic, else LocalSearch++ swap steps
after the seeding, 0 disables). Returns QuantizeResult (palette m x 3 uint8, labels H x W uint16,
psnr, image()). Deterministic for a seed; GIL released, all cores.
Raises ValueError for another dtype, 2 or more than 4 channels, an empty image, colors outside 1..65536,
max_iter 0, negative tol, an unknown space / init / algorithm.)doc");

    // ---- edges
    m.def("gaussian_blur", &py_gaussian_blur, "src"_a, py::kw_only(), "ksize"_a = 5, "sigma"_a = 0.0,
          "border"_a = "reflect101",
          R"doc(Gaussian blur, equal to cv2.GaussianBlur for uint8 (pixel for pixel).

src: H x W or H x W x C array of uint8, uint16 or float32. ksize: odd kernel size (0: from sigma);
sigma: <= 0 derives it from ksize as OpenCV; border: 'reflect101' (OpenCV's default), 'replicate',
'constant'. Returns a new array of src's shape and dtype. GIL released, all cores.
Raises ValueError for another dtype or ndim, an empty image, an even or too large ksize, a bad sigma.)doc");
    m.def("sobel", &py_sobel, "src"_a, py::kw_only(), "border"_a = "reflect101", "scharr"_a = false,
          R"doc(3x3 Sobel (or Scharr) derivatives of a gray image, equal to cv2.Sobel(src, cv2.CV_16S, 1, 0) and
(…, 0, 1) (cv2.Scharr with scharr=True).

src: H x W uint8. Returns (dx, dy), each H x W int16. Raises ValueError for another dtype, more
than one channel, an empty image or an unknown border.)doc");
    m.def(
        "sobel_magnitude",
        [](const py::handle& src, bool l2, const std::string& border, bool scharr) {
            return py_sobel_magnitude(src, l2, border, scharr, false);
        },
        "src"_a, py::kw_only(), "l2"_a = true, "border"_a = "reflect101", "scharr"_a = false,
        R"doc(Gradient magnitude of the 3x3 Sobel derivatives: sqrt(dx^2 + dy^2) (l2=True) or |dx| + |dy|.

src: H x W uint8. Returns H x W float32. Raises ValueError as sobel.)doc");
    m.def(
        "sobel_direction",
        [](const py::handle& src, const std::string& border, bool scharr) {
            return py_sobel_magnitude(src, true, border, scharr, true);
        },
        "src"_a, py::kw_only(), "border"_a = "reflect101", "scharr"_a = false,
        R"doc(Gradient direction atan2(dy, dx) of the 3x3 Sobel derivatives in radians, in [0, 2 pi).

src: H x W uint8. Returns H x W float32. Raises ValueError as sobel.)doc");
    m.def("canny", &py_canny, "src"_a, py::kw_only(), "low"_a = 50.0, "high"_a = 150.0, "l2_gradient"_a = false,
          "border"_a = "replicate",
          R"doc(Canny edge detector, equal to cv2.Canny(src, low, high, L2gradient=l2_gradient) pixel for pixel.

src: H x W uint8 (no blur is applied, as cv2.Canny). Returns H x W uint8, 255 on edges, 0 elsewhere.
GIL released, all cores. Raises ValueError for another dtype, more than one channel, an empty
image, a negative or NaN threshold, low > high (cv2 swaps them), an unknown border.)doc");
    m.def("to_gray", &py_to_gray, "src"_a, py::kw_only(), "bgr"_a.none(false) = false,
          R"doc(RGB / RGBA to gray with BT.601 weights, equal to cv2.cvtColor(src, cv2.COLOR_RGB2GRAY).

src: H x W x 3 or H x W x 4 uint8. Returns H x W uint8. Raises ValueError for other channel counts.)doc");
    m.def("frame_difference", &py_frame_difference, "a"_a, "b"_a, py::kw_only(), "threshold"_a = 25,
          R"doc(Changed pixels between two frames: mask = 255 where max over channels |a - b| > threshold.

a, b: H x W or H x W x C uint8 of the same shape. Returns (count, mask): the number of changed
pixels and an H x W uint8 mask. Raises ValueError for other dtypes, different shapes or a
threshold outside [0, 255].)doc");
    m.def("frame_hash", &py_hash, "src"_a, py::kw_only(), "method"_a = "difference", "bgr"_a.none(false) = false,
          R"doc(64-bit perceptual hash of a frame: 'difference' (dHash, default) or 'average' (aHash) over the
BT.601 gray image area-averaged to 9 x 8 / 8 x 8 cells.

src: H x W, H x W x 3 or H x W x 4 uint8. Returns an int in [0, 2**64). Compare with
hamming_distance. Raises ValueError for another dtype or channel count, or an unknown method.)doc");
    m.def("content_hash", &py_content_hash, "img"_a, py::kw_only(), "seed"_a = 0,
          R"doc(Exact 64-bit hash of an array's content: XXH3-64 (xxHash) with the seed over the array's bytes
in C order, equal to xxhash.xxh3_64_intdigest(img.tobytes(), seed). Any dtype but object, any
shape; shapes are not hashed. Crops of frames (rows apart in memory) are read in place, row by row;
other layouts are copied once. Use it for exact duplicates, frame_hash for near duplicates.
Returns an int in [0, 2**64). Raises TypeError for a non-array or an object array.)doc");
    m.def("tile_stats", &py_tile_stats, "img"_a, py::kw_only(), "tile"_a = py::make_tuple(32, 32),
          R"doc(Per-tile statistics of every channel: (mean, std, min, max), each of shape (tiles_y, tiles_x,
channels) with tiles_y = ceil(H / th), tiles_x = ceil(W / tw); the last row and column of tiles
are partial when the tile does not divide the image. mean and std (population, ddof=0, as
numpy.std) are float64 from exact integer sums; min and max uint8. Equal to reshaping each tile and
calling numpy mean / std / min / max over it.

img: H x W or H x W x C uint8 (C in 1..4; any row stride is read in place). tile: (th, tw), two
integers >= 1 (larger than the image gives one tile). Raises ValueError for another dtype, ndim
or channel count, or a bad tile.)doc");
    m.def(
        "average_hash", [](const py::handle& src, bool bgr) { return py_hash(src, "average", bgr); }, "src"_a,
        py::kw_only(), "bgr"_a.none(false) = false, "aHash of a frame: frame_hash(src, method='average').");
    m.def(
        "difference_hash", [](const py::handle& src, bool bgr) { return py_hash(src, "difference", bgr); }, "src"_a,
        py::kw_only(), "bgr"_a.none(false) = false, "dHash of a frame: frame_hash(src, method='difference').");
    m.def(
        "hamming_distance", [](std::uint64_t a, std::uint64_t b) { return vecta::hamming_distance(a, b); }, "a"_a,
        "b"_a, "Number of differing bits of two 64-bit hashes, 0..64.");

    // ---- geometry
    py::class_<contour_out>(m, "Contour", "One border found by vecta.find_contours.")
        .def_readonly("points", &contour_out::points, "n x 2 int32 pixel centres (x, y) in border-following order")
        .def_readonly("hole", &contour_out::hole, "True for a hole border")
        .def_readonly("parent", &contour_out::parent, "mode='tree': index of the enclosing border, -1 for none")
        .def("__len__", [](const contour_out& c) { return c.points.shape(0); })
        .def("__repr__", [](const contour_out& c) {
            return "Contour(points=" + std::to_string(c.points.shape(0)) + ", hole=" + (c.hole ? "True" : "False") +
                   ", parent=" + std::to_string(c.parent) + ")";
        });
    m.def("find_contours", &py_find_contours, "binary"_a, py::kw_only(), "mode"_a = "list",
          R"doc(Borders of the foreground (nonzero) regions by Suzuki-Abe border following, as
cv2.findContours(..., CHAIN_APPROX_NONE) (same points, same parents).

binary: H x W uint8. mode: 'list' or 'tree' (parent indices). Returns a list of Contour in raster
order of their first pixel. Raises ValueError for another dtype, more than one channel, an empty
image or an unknown mode.)doc");
    m.def(
        "douglas_peucker", [](const py::handle& p, double eps, bool closed) { return py_dp(p, eps, closed, false); },
        "points"_a, "epsilon"_a, py::kw_only(), "closed"_a = false,
        R"doc(Ramer-Douglas-Peucker simplification: the kept points (first and last always kept; a point is kept
when its distance to the chord's line exceeds epsilon).

points: n x 2 or n x 3 float64 / float32, or n x 2 int32 (e.g. Contour.points). closed: the points
form a ring. Returns an m x D array of the kept points, the input's dtype. Raises ValueError for
another dtype or shape, negative or NaN epsilon, a NaN or infinite coordinate.)doc");
    m.def(
        "douglas_peucker_indices",
        [](const py::handle& p, double eps, bool closed) { return py_dp(p, eps, closed, true); }, "points"_a,
        "epsilon"_a, py::kw_only(), "closed"_a = false,
        "As douglas_peucker, returning the ascending int64 indices of the kept points.");
    m.def("bezier_fit", &py_bezier_fit, "points"_a, py::kw_only(), "max_error"_a = 0.5, "corner_angle_deg"_a = 60.0,
          "closed"_a = false,
          R"doc(Schneider's least-squares cubic Bezier fit of a polyline within max_error, split at corners.

points: n x 2 float64 (float32 / int32 converted). Returns an m x 4 x 2 float64 array of control
points (p0, p1, p2, p3); segment i's p3 equals segment i+1's p0. Raises ValueError for max_error
<= 0, corner_angle_deg outside (0, 180], NaN / infinite coordinates, fewer than 2 distinct points.)doc");

    // ---- vectorize
    // The defaults are vectorize_params' own, so that Python and C++ cannot drift apart.
    const vecta::vectorize_params vd{};
    m.def(
        "vectorize", &py_vectorize, "image"_a, py::kw_only(), "mode"_a = "color", "colors"_a = vd.colors,
        "seed"_a = vd.seed, "tolerance"_a = vd.tolerance, "corner_angle_deg"_a = vd.corner_angle_deg,
        "smooth_min_area"_a = vd.smooth_min_area, "curve_min_area"_a = vd.curve_min_area, "precision"_a = vd.precision,
        "max_paths"_a = vd.max_paths, "max_nodes"_a = vd.max_nodes, "palette"_a = "automatic", "speckle"_a = py::none(),
        "alphamax"_a = py::none(), "upscale"_a = vd.upscale, "threshold"_a = int(vd.threshold),
        "bgr"_a.none(false) = false, "max_bytes"_a = (long long)vd.max_bytes, "min_psnr"_a = vd.min_psnr,
        "background"_a = py::none(), "stroke_colors"_a = vd.stroke_colors, "salient"_a = vd.salient,
        "region_colors"_a = vd.region_colors, "split_psnr"_a = vd.split_psnr, "salient_colors"_a = py::none(),
        "centerline"_a = py::none(), "keep_paths"_a = vd.keep_paths,
        R"doc(Raster to SVG: palette (automatic flat colours or k-means), speckle filter, Selinger's polygon and curve fitting,
stacked paths without seams.

image: H x W or H x W x C uint8, C in 1..4. Alpha (C = 2 or 4) is kept: transparent pixels give no
paths, translucent regions get fill-opacity, binary mode takes ink from alpha (docs/vectorize.md
"Transparency"); background=(r, g, b) composites over that colour first instead (as before:
(255, 255, 255)); centerline mode always composites (over white by default). mode: 'color',
'binary' (luma below threshold is ink) or 'centerline' (pen strokes along the middle of the ink).
stroke_colors (centerline mode, colour images): each palette colour's strokes traced separately and
stroked in that colour (colour line art; the most frequent colour is the paper); ValueError in
another mode.
salient (colour mode): extra palette entries for small, distinct colours the palette maps far
(CIEDE2000 > 8), e.g. eyes or a logo's accent. region_colors (colour mode, k-means palettes: photos):
each traced region painted with the nearest of max(region_colors, colors) fills quantized from the
regions' mean colours, 0 = its palette colour; 0..65536 (ValueError outside), default 256.
split_psnr (colour mode with region fills): when the palette's PSNR is below this many dB (smooth
gradients, soft focus), regions spread along one CIELAB direction are cut in two and every region is
filled with its exact mean (stats["regions_split"] counts the cuts); 0 = never; 0..100 (ValueError
outside or NaN), default 31.
salient_colors (with salient=True), centerline (centerline mode): None for the defaults, or a dict
of the fields of vecta::salient_params (threshold, min_pixels, rounds, groups, split, skip_mixes) or
vecta::centerline_params (min_stroke_length, spur_ratio, spur_length, width_quantum,
width_tolerance, curve_tolerance, corner_angle_deg, stroke_width, max_turn_deg, fill_elongation,
fill_ratio; the ink threshold is the threshold keyword), e.g. centerline={'stroke_width': 2}.
TypeError for another type, an unknown field or a value of the wrong type; ValueError (naming e.g.
centerline.spur_ratio) for a value out of its range.
keep_paths: also return the traced geometry, (svg, stats, paths): one dict per <path> / <rect>
element in paint order with color (r, g, b), opacity, fill_rule ('nonzero' / 'evenodd'),
stroke_width (0: filled), ops (a str of M, L, C, Z) and points (m x 2 float64, input pixels, y
down: 1 per M and L, 3 per C), before rounding to precision. Transparency is then composited over
white (the geometry has no clip path).
palette: 'automatic' or 'kmeans'. speckle, alphamax: None for the automatic value. Other keywords as vecta::vectorize_params. Returns (svg, stats): the SVG document
as str and a dict with ms, paths, nodes, bytes, colors, quantize_psnr, regions, precision (the
decimals used: the automatic choice when precision=-1). GIL released.
max_bytes, min_psnr (colour and binary modes): a size budget (an SVG of at most max_bytes bytes, the
best render PSNR found) and / or a quality target (the fewest bytes whose render reaches min_psnr
dB); vectorize searches colors, speckle, tolerance and precision (docs/vectorize.md "Budgets"), and
stats['budget'] holds what it chose: met (False when min_psnr cannot be reached), psnr, colors,
speckle (None = automatic), tolerance, precision, passes, renders. 0 = no budget; ValueError for a
negative or NaN value or a max_bytes below a one-colour document.
Raises ValueError for bad parameters or when the document would exceed max_paths / max_nodes.)doc");

    // ---- io and compatibility
    {
        const py::tuple bases = py::make_tuple(py::handle(PyExc_ValueError), py::handle(PyExc_OSError));
        image_decode_error = PyErr_NewExceptionWithDoc(
            "vecta._core.ImageDecodeError",
            "Image bytes that cannot be decoded (corrupt, truncated, unsupported, above max_pixels). A ValueError "
            "(NumPy style) and an OSError (what vecta raised before, and what PIL raises).",
            bases.ptr(), nullptr);
        if (!image_decode_error) throw py::error_already_set();
        m.attr("ImageDecodeError") = py::handle(image_decode_error);  // the module keeps the reference
        py::register_exception_translator([](std::exception_ptr p) {
            try {
                if (p) std::rethrow_exception(p);
            } catch (const vecta::codecs::decode_error& e) {
                PyErr_SetString(image_decode_error, e.what());
            }
        });
    }
    m.def("decode_image", &py_decode_image, "data"_a, py::kw_only(), "channels"_a = 0,
          "max_pixels"_a = std::size_t(1) << 28, "bgr"_a.none(false) = false, "apply_orientation"_a = true,
          R"doc(Decodes PNG, JPEG, WebP and TIFF bytes (libpng, libjpeg-turbo, libwebp, libtiff; netpbm P1-P7 by
vecta's reader, any maxval rescaled to 0..255; BMP, GIF, TGA, PSD and HDR through stb_image) to uint8.

data: bytes-like. channels: 0 keeps the file's count (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA), else
1-4 converted. 16-bit PNG / TIFF samples are scaled to 8 bits (rounded); palette PNGs are expanded;
JPEGs are turned upright by their EXIF orientation unless apply_orientation=False. Returns H x W
(1 channel) or H x W x C uint8 (B, G, R order with bgr=True). Raises vecta.ImageDecodeError (a
ValueError and an OSError) naming data for empty, corrupt, truncated or unsupported bytes and for
images above max_pixels; ValueError for channels outside 0..4.)doc");
    m.def("load_image", &py_load_image, "path"_a, py::kw_only(), "channels"_a = 0,
          "max_pixels"_a = std::size_t(1) << 28, "bgr"_a.none(false) = false, "apply_orientation"_a = true,
          "Reads an image file and decodes it as decode_image does (the error names the path). Raises OSError "
          "when the file cannot be read, vecta.ImageDecodeError (ValueError, OSError) when it is not a "
          "decodable image.");
    m.def(
        "encode_image", &py_encode_image, "image"_a, py::kw_only(), "format"_a = "png", "quality"_a = 90,
        "bgr"_a.none(false) = false, "lossless"_a = false, "compression"_a = -1,
        R"doc(Encodes H x W or H x W x C (1-4) uint8 as 'png', 'jpeg' / 'jpg', 'webp' or 'tiff' / 'tif'. Returns bytes.

quality: JPEG and lossy WebP, 1..100. lossless: WebP only (exact pixels, RGB kept under alpha 0).
compression: PNG zlib level 0..9, TIFF Deflate level 1..9, -1 = 6. PNG and TIFF keep every channel;
JPEG drops alpha; WebP stores grey as RGB. Raises ValueError for a bad image, format, quality or
compression or a size the format cannot hold (JPEG 65535, WebP 16383 per side), OSError when the
library fails.)doc");
    m.def("save_image", &py_save_image, "path"_a, "image"_a, py::kw_only(), "quality"_a = 90,
          "bgr"_a.none(false) = false, "lossless"_a = false, "compression"_a = -1,
          "Encodes image as encode_image does, in the format of path's extension (.png, .jpg, .jpeg, .webp, .tif, "
          ".tiff), and writes the file atomically. Raises ValueError for another extension or a bad image, OSError "
          "when the file cannot be written.");
    m.def("quantize_colors", &py_quantize_colors, "image_bytes"_a, "k"_a = 16, "max_iter"_a = 10,
          R"doc(Compatibility helper of the vectorizer backend: decodes an encoded image (PNG, JPEG, WebP, TIFF, ...;
alpha composited over white), quantizes it to k colours (vecta.quantize, seed 0, at most max_iter
Lloyd iterations; above 2^15 pixels the palette comes from a regular subsample of about 2^15 pixels
and every pixel is then mapped to its nearest palette colour) and returns the quantized image as PNG bytes
(an indexed PNG up to 256 colours, RGB above; every decoder returns the same RGB).
Raises vecta.ImageDecodeError (ValueError, OSError) for undecodable bytes, ValueError for k outside
1..65536 or max_iter 0.)doc");
    m.def("detect_edges_sobel", &py_detect_edges_sobel, "image_bytes"_a, "threshold"_a = 100.0,
          R"doc(Compatibility helper of the vectorizer backend: decodes an encoded image, thresholds the L2 Sobel
gradient magnitude of its gray image (255 where sqrt(dx^2 + dy^2) > threshold) and returns the edge
map encoded as PNG bytes. Raises vecta.ImageDecodeError (ValueError, OSError) for undecodable bytes,
ValueError for a negative threshold.)doc");
    m.def("sobel_edges", &py_detect_edges_sobel_array, "src"_a, py::kw_only(), "threshold"_a = 100.0,
          "bgr"_a.none(false) = false,
          R"doc(Array form of detect_edges_sobel: src H x W, H x W x 3 or H x W x 4 uint8; returns H x W uint8
(255 where the L2 Sobel magnitude of the gray image exceeds threshold, else 0).)doc");
}

}  // namespace vpy
