// SPDX-License-Identifier: MIT
// vecta/adapters/onnx.hpp - run ONNX models (learned edge detectors) on images through ONNX
// Runtime, and blend their output with a classic edge map.
//
// blend_edges is always available. The ONNX Runtime part is compiled only when
// VECTA_WITH_ONNXRUNTIME is 1 (CMake: -DVECTA_WITH_ONNXRUNTIME=ON and the target vecta::onnx).
// It needs ONNX Runtime's C header <onnxruntime_c_api.h> on the include path and nothing at
// link time except libdl: the shared library is loaded at run time with dlopen and the C API
// table is taken from OrtGetApiBase(), so one binary works with every ONNX Runtime release
// that serves API version vecta::onnx::api_version (symbol versioning would otherwise pin the
// exact release it was linked against; see ../shared/research/onnx-runtime.md). The C API is
// used directly, so this header does not clash with a program's own use of the ORT C++ API.
// tools/fetch_onnxruntime.sh fetches headers and library from the npm registry.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"

namespace vecta {

namespace detail {
template <class Classic>
void blend_edges_impl(std::string_view fn, image_view<const Classic> classic, image_view<const float> learned,
                      image_view<float> dst, float alpha, float classic_scale) {
    check_image(classic, fn, "classic", 1);
    check_same_shape(classic, learned, fn, "learned");
    check_same_shape(classic, dst, fn, "dst");
    require(std::isfinite(alpha) && alpha >= 0.0f && alpha <= 1.0f, fn, "alpha", "must be in [0, 1]");
    const float wc = (1.0f - alpha) * classic_scale;
    for (std::size_t y = 0; y < classic.height(); ++y) {
        const Classic* c = classic.row(y);
        const float* l = learned.row(y);
        float* d = dst.row(y);
        for (std::size_t x = 0; x < classic.width(); ++x) d[x] = alpha * l[x] + wc * static_cast<float>(c[x]);
    }
}
}  // namespace detail

/// Blends a classic edge map with a learned edge-probability map:
///   dst = alpha * learned + (1 - alpha) * classic / 255
/// classic is an 8-bit edge map (vecta::canny output: 0 or 255, or a gradient image scaled to
/// [0, 255]); learned is a probability in [0, 1] (vecta::onnx::model output); dst is float in
/// [0, 1] when the inputs are in range. alpha = 0.7 (default) weights the learned detector, as
/// the seed pipeline blended Canny with a learned detector (weighted sum as cv::addWeighted).
/// Shapes: all w x h x 1; dst may alias learned exactly (element-wise). O(w h).
/// Throws vecta::invalid_argument naming "classic" (empty or not 1-channel), "learned" or
/// "dst" (another shape) or "alpha" (outside [0, 1] or NaN).
inline void blend_edges(image_view<const std::uint8_t> classic, image_view<const float> learned, image_view<float> dst,
                        float alpha = 0.7f) {
    detail::blend_edges_impl("vecta::blend_edges", classic, learned, dst, alpha, 1.0f / 255.0f);
}

/// As above with a float classic map already in [0, 1]: dst = alpha * learned + (1 - alpha) * classic.
inline void blend_edges(image_view<const float> classic, image_view<const float> learned, image_view<float> dst,
                        float alpha = 0.7f) {
    detail::blend_edges_impl("vecta::blend_edges", classic, learned, dst, alpha, 1.0f);
}

/// Returns the blend of classic (8-bit) and learned as a new w x h x 1 float image (see above).
inline image<float> blend_edges(image_view<const std::uint8_t> classic, image_view<const float> learned,
                                float alpha = 0.7f) {
    image<float> out(classic.width(), classic.height(), 1);
    blend_edges(classic, learned, out.view(), alpha);
    return out;
}

}  // namespace vecta

#if defined(VECTA_WITH_ONNXRUNTIME) && VECTA_WITH_ONNXRUNTIME

#if defined(_WIN32)
#error "vecta/adapters/onnx.hpp: the run-time loader supports POSIX (dlopen) only; Windows is not supported yet"
#endif

#include <dlfcn.h>
#include <onnxruntime_c_api.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace vecta::onnx {

/// The OrtApi version requested from the library: every function this adapter calls exists
/// since ONNX Runtime 1.16. Tested with ONNX Runtime 1.29.0 and 1.30.0.
inline constexpr std::uint32_t api_version = 16;

/// An error reported by ONNX Runtime (invalid model, failed run, ...). what() is
/// "<vecta function>: ONNX Runtime error <code>: <ONNX Runtime's message>"; code() is the
/// OrtErrorCode. Derives from vecta::io_error.
class ort_error : public io_error {
public:
    ort_error(const std::string& what, int code) : io_error(what), code_(code) {}
    int code() const noexcept { return code_; }

private:
    int code_;
};

/// Memory layout of the model's image input and output tensors.
enum class layout {
    nchw,  ///< [1, C, H, W] (PyTorch exports: HED, PiDiNet, DexiNed, TEED)
    nhwc   ///< [1, H, W, C] (TensorFlow exports)
};

/// Parameters of vecta::onnx::model.
struct model_params {
    /// Layout of the image input and output tensors.
    layout tensor_layout = layout::nchw;
    /// Input normalization per channel c: value = (pixel * scale - mean[c]) / std[c].
    /// mean and std hold 0 values (0 and 1), 1 value (all channels) or one per channel.
    float scale = 1.0f / 255.0f;
    std::vector<float> mean = {};
    std::vector<float> std = {};
    /// Images wider or higher than tile_size are processed in tiles of at most tile_size x
    /// tile_size pixels (halo included), so the memory ONNX Runtime needs stays bounded.
    std::size_t tile_size = 1024;
    /// Pixels of context each tile reads beyond the part it writes. Tiled output equals the
    /// untiled output when tile_overlap >= the model's receptive-field radius (1 for a 3x3 conv).
    std::size_t tile_overlap = 32;
    /// Path of the ONNX Runtime shared library; empty: the VECTA_ONNXRUNTIME_LIB environment
    /// variable, else the path CMake compiled in (VECTA_ONNXRUNTIME_DEFAULT_LIBRARY), else
    /// "libonnxruntime.so.1" (macOS: "libonnxruntime.dylib") on the loader's search path.
    std::filesystem::path library = {};
};

namespace detail {

// ---- the loaded library --------------------------------------------------------------------

inline std::filesystem::path default_library() {
    if (const char* env = std::getenv("VECTA_ONNXRUNTIME_LIB"); env && *env) return env;
#ifdef VECTA_ONNXRUNTIME_DEFAULT_LIBRARY
    if (std::filesystem::exists(VECTA_ONNXRUNTIME_DEFAULT_LIBRARY)) return VECTA_ONNXRUNTIME_DEFAULT_LIBRARY;
#endif
#ifdef __APPLE__
    return "libonnxruntime.dylib";
#else
    return "libonnxruntime.so.1";
#endif
}

/// A dlopen'ed ONNX Runtime: the API table and one OrtEnv. Never unloaded (ONNX Runtime does
/// not support being unloaded and reloaded in one process).
class runtime {
public:
    const OrtApi* api = nullptr;
    OrtEnv* env = nullptr;
    OrtMemoryInfo* cpu = nullptr;
    std::string version;
    std::string path;

    /// Throws vecta::ort_error from an OrtStatus (and releases it); no-op for nullptr.
    void check(OrtStatus* status, std::string_view fn) const {
        if (status == nullptr) return;
        const int code = static_cast<int>(api->GetErrorCode(status));
        std::string msg(fn);
        msg.append(": ONNX Runtime error ").append(std::to_string(code)).append(": ");
        msg.append(api->GetErrorMessage(status));
        api->ReleaseStatus(status);
        throw ort_error(msg, code);
    }

    /// The process-wide runtime for a library path (loaded on first use, thread-safe).
    static const runtime& get(const std::filesystem::path& requested) {
        static std::mutex mutex;
        static std::map<std::string, std::unique_ptr<runtime>> loaded;
        const std::filesystem::path lib = requested.empty() ? default_library() : requested;
        std::lock_guard lock(mutex);
        auto& slot = loaded[lib.string()];
        if (!slot) {
            auto rt = std::make_unique<runtime>();
            rt->load(lib);
            slot = std::move(rt);
        }
        return *slot;
    }

    runtime() = default;
    runtime(const runtime&) = delete;
    runtime& operator=(const runtime&) = delete;
    ~runtime() {
        if (api && cpu) api->ReleaseMemoryInfo(cpu);
        if (api && env) api->ReleaseEnv(env);
    }

private:
    void load(const std::filesystem::path& lib) {
        constexpr std::string_view fn = "vecta::onnx::model";
        path = lib.string();
        void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr) {
            const char* why = ::dlerror();
            throw io_error(std::string(fn) + ": cannot load ONNX Runtime library '" + path +
                           "': " + (why ? why : "unknown error") +
                           " (set model_params::library or VECTA_ONNXRUNTIME_LIB, or run tools/fetch_onnxruntime.sh)");
        }
        using get_api_base_fn = const OrtApiBase* (*)();
        auto get_base = reinterpret_cast<get_api_base_fn>(::dlsym(handle, "OrtGetApiBase"));
        if (get_base == nullptr)
            throw io_error(std::string(fn) + ": '" + path + "' has no symbol OrtGetApiBase (not ONNX Runtime?)");
        const OrtApiBase* base = get_base();
        version = base->GetVersionString();
        api = base->GetApi(api_version);
        if (api == nullptr)
            throw io_error(std::string(fn) + ": ONNX Runtime " + version + " at '" + path +
                           "' does not serve API version " + std::to_string(api_version) + " (needs >= 1.16)");
        check(api->CreateEnv(ORT_LOGGING_LEVEL_ERROR, "vecta", &env), fn);
        check(api->CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &cpu), fn);
    }
};

/// unique_ptr deleters for ORT objects.
template <class T, void (*OrtApi::*Release)(T*)>
struct ort_ptr {
    const OrtApi* api = nullptr;
    T* p = nullptr;
    ort_ptr() = default;
    ort_ptr(const OrtApi* a, T* q) : api(a), p(q) {}
    ort_ptr(ort_ptr&& o) noexcept : api(o.api), p(std::exchange(o.p, nullptr)) {}
    ort_ptr& operator=(ort_ptr&& o) noexcept {
        if (this != &o) {
            reset();
            api = o.api;
            p = std::exchange(o.p, nullptr);
        }
        return *this;
    }
    ~ort_ptr() { reset(); }
    void reset() noexcept {
        if (p) (api->*Release)(p);
        p = nullptr;
    }
    T* get() const noexcept { return p; }
};
using session_ptr = ort_ptr<OrtSession, &OrtApi::ReleaseSession>;
using options_ptr = ort_ptr<OrtSessionOptions, &OrtApi::ReleaseSessionOptions>;
using value_ptr = ort_ptr<OrtValue, &OrtApi::ReleaseValue>;
using type_info_ptr = ort_ptr<OrtTypeInfo, &OrtApi::ReleaseTypeInfo>;
using shape_info_ptr = ort_ptr<OrtTensorTypeAndShapeInfo, &OrtApi::ReleaseTensorTypeAndShapeInfo>;

/// Element type and dimensions (-1 = dynamic) of a tensor type.
struct tensor_desc {
    ONNXTensorElementDataType type = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED;
    std::vector<std::int64_t> dims;
};

inline tensor_desc describe(const runtime& rt, const OrtTensorTypeAndShapeInfo* info, std::string_view fn) {
    tensor_desc d;
    rt.check(rt.api->GetTensorElementType(info, &d.type), fn);
    std::size_t rank = 0;
    rt.check(rt.api->GetDimensionsCount(info, &rank), fn);
    d.dims.assign(rank, 0);
    rt.check(rt.api->GetDimensions(info, d.dims.data(), rank), fn);
    return d;
}

inline std::string dims_text(const std::vector<std::int64_t>& dims) {
    std::string s = "[";
    for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
    return s + "]";
}

inline std::vector<unsigned char> read_model_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw io_error("vecta::onnx::model: cannot open model file '" + file.string() + "'");
    std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw io_error("vecta::onnx::model: cannot read model file '" + file.string() + "'");
    return bytes;
}

}  // namespace detail

/// An ONNX model that maps an image to an image of the same width and height, typically a
/// learned edge detector ([1, 3, H, W] RGB in, [1, 1, H, W] edge probability out, as HED,
/// PiDiNet, DexiNed and TEED exports), run with ONNX Runtime on the CPU.
///
/// The model must have one float32 input and at least one float32 output (the first is used),
/// both of rank 4 in params.tensor_layout with batch 1 (or dynamic) and the same height and
/// width. Dynamic height and width allow any image size and tiling; fixed ones require images
/// of exactly that size. The model is kept in memory; ONNX Runtime sessions are created on
/// first use per thread configuration: vecta::seq runs with 1 intra-op thread, vecta::par
/// with one per hardware thread (inter-op: 1). run() is thread-safe. Movable, not copyable;
/// a moved-from model may only be destroyed or assigned to.
class model {
public:
    /// Loads the model from an .onnx file. Throws vecta::io_error when the file cannot be read
    /// or ONNX Runtime cannot be loaded, vecta::onnx::ort_error (an io_error) with ONNX
    /// Runtime's message when it rejects the model, vecta::invalid_argument naming "params"
    /// fields or "model" (inputs/outputs not as described above).
    explicit model(const std::filesystem::path& file, const model_params& params = {})
        : model(detail::read_model_file(file), params) {}

    /// Loads the model from the bytes of an .onnx file (copied). Throws as above.
    model(std::span<const unsigned char> bytes, const model_params& params = {})
        : model(std::vector<unsigned char>(bytes.begin(), bytes.end()), params) {}

    /// ONNX Runtime version string of the loaded library ("1.29.0").
    const std::string& runtime_version() const noexcept { return rt_->version; }
    /// Input channels the model expects (0 when dynamic: any).
    std::size_t input_channels() const noexcept { return in_channels_; }
    /// Output channels (0 when dynamic: known after the first run).
    std::size_t output_channels() const noexcept { return out_channels_; }
    const model_params& params() const noexcept { return params_; }

    /// Runs the model on src (w x h x C, 8-bit or float, normalized per model_params) and
    /// writes its first output into dst (w x h x C_out float, caller-owned, interleaved).
    /// Images larger than params.tile_size in either dimension run as overlapping tiles.
    /// Intra-op threads follow the policy. Cost: one ONNX Runtime run per tile plus O(w h C)
    /// conversion. Throws vecta::invalid_argument naming "src" (empty, wrong channel count, or
    /// not the model's fixed size), "dst" (wrong shape) or "model" (output of another size),
    /// vecta::onnx::ort_error when ONNX Runtime fails.
    template <execution_policy P>
    void run(const P&, image_view<const std::uint8_t> src, image_view<float> dst) const {
        run_impl(P::is_parallel, src, &dst, nullptr);
    }
    template <execution_policy P>
    void run(const P&, image_view<const float> src, image_view<float> dst) const {
        run_impl(P::is_parallel, src, &dst, nullptr);
    }

    /// As above, returning a new w x h x C_out float image.
    template <execution_policy P>
    image<float> run(const P&, image_view<const std::uint8_t> src) const {
        image<float> out;
        run_impl(P::is_parallel, src, nullptr, &out);
        return out;
    }
    template <execution_policy P>
    image<float> run(const P&, image_view<const float> src) const {
        image<float> out;
        run_impl(P::is_parallel, src, nullptr, &out);
        return out;
    }

    /// run(vecta::seq, src, dst).
    void run(image_view<const std::uint8_t> src, image_view<float> dst) const { run(seq, src, dst); }
    void run(image_view<const float> src, image_view<float> dst) const { run(seq, src, dst); }
    /// run(vecta::seq, src).
    image<float> run(image_view<const std::uint8_t> src) const { return run(seq, src); }
    image<float> run(image_view<const float> src) const { return run(seq, src); }

private:
    model(std::vector<unsigned char>&& bytes, const model_params& params) : params_(params), bytes_(std::move(bytes)) {
        constexpr std::string_view fn = "vecta::onnx::model";
        using vecta::detail::require;
        require(params.tensor_layout == layout::nchw || params.tensor_layout == layout::nhwc, fn,
                "params.tensor_layout", "must be layout::nchw or layout::nhwc");
        require(std::isfinite(params.scale), fn, "params.scale", "must be finite");
        for (float m : params.mean) require(std::isfinite(m), fn, "params.mean", "must be finite");
        for (float s : params.std) require(std::isfinite(s) && s != 0.0f, fn, "params.std", "must be finite and != 0");
        require(params.tile_size >= 1 && params.tile_size > 2 * params.tile_overlap, fn, "params.tile_size",
                "must be > 2 * params.tile_overlap");
        require(!bytes_.empty(), fn, "model", "must not be empty");
        rt_ = &detail::runtime::get(params.library);
        const OrtApi* api = rt_->api;
        const detail::session_ptr& s = session(false);
        std::size_t n_in = 0, n_out = 0;
        rt_->check(api->SessionGetInputCount(s.get(), &n_in), fn);
        rt_->check(api->SessionGetOutputCount(s.get(), &n_out), fn);
        require(n_in == 1, fn, "model", "must have exactly one input, has " + std::to_string(n_in));
        require(n_out >= 1, fn, "model", "must have an output");
        OrtAllocator* alloc = nullptr;
        rt_->check(api->GetAllocatorWithDefaultOptions(&alloc), fn);
        auto name_of = [&](bool input) {
            char* raw = nullptr;
            rt_->check(input ? api->SessionGetInputName(s.get(), 0, alloc, &raw)
                             : api->SessionGetOutputName(s.get(), 0, alloc, &raw),
                       fn);
            std::string name(raw);
            rt_->check(api->AllocatorFree(alloc, raw), fn);
            return name;
        };
        in_name_ = name_of(true);
        out_name_ = name_of(false);
        auto desc_of = [&](bool input) {
            OrtTypeInfo* raw = nullptr;
            rt_->check(input ? api->SessionGetInputTypeInfo(s.get(), 0, &raw)
                             : api->SessionGetOutputTypeInfo(s.get(), 0, &raw),
                       fn);
            detail::type_info_ptr info(api, raw);
            const OrtTensorTypeAndShapeInfo* tensor = nullptr;
            rt_->check(api->CastTypeInfoToTensorInfo(info.get(), &tensor), fn);
            require(tensor != nullptr, fn, "model", std::string(input ? "input" : "output") + " must be a tensor");
            return detail::describe(*rt_, tensor, fn);
        };
        const detail::tensor_desc in = desc_of(true), out = desc_of(false);
        for (const auto* d : {&in, &out}) {
            const char* what = d == &in ? "input" : "output";
            require(d->type == ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, fn, "model",
                    std::string(what) + " '" + (d == &in ? in_name_ : out_name_) + "' must be float32");
            require(d->dims.size() == 4, fn, "model",
                    std::string(what) + " must have rank 4, has shape " + detail::dims_text(d->dims));
            require(d->dims[0] == 1 || d->dims[0] < 0, fn, "model",
                    std::string(what) + " batch must be 1 or dynamic, shape " + detail::dims_text(d->dims));
        }
        const bool nchw = params.tensor_layout == layout::nchw;
        const auto dim = [](std::int64_t v) { return v > 0 ? std::size_t(v) : std::size_t(0); };
        in_channels_ = dim(nchw ? in.dims[1] : in.dims[3]);
        out_channels_ = dim(nchw ? out.dims[1] : out.dims[3]);
        fixed_h_ = dim(nchw ? in.dims[2] : in.dims[1]);
        fixed_w_ = dim(nchw ? in.dims[3] : in.dims[2]);
        if (in_channels_ != 0) {
            for (const auto* v : {&params.mean, &params.std})
                require(v->size() <= 1 || v->size() == in_channels_, fn,
                        v == &params.mean ? "params.mean" : "params.std",
                        "must have 0, 1 or " + std::to_string(in_channels_) + " values");
        }
    }

    /// The session for 1 thread (par = false) or all hardware threads (par = true).
    const detail::session_ptr& session(bool par) const {
        constexpr std::string_view fn = "vecta::onnx::model";
        std::lock_guard lock(state_->mutex);
        detail::session_ptr& s = state_->sessions[par ? 1 : 0];
        if (s.get() == nullptr) {
            const OrtApi* api = rt_->api;
            OrtSessionOptions* raw = nullptr;
            rt_->check(api->CreateSessionOptions(&raw), fn);
            detail::options_ptr opts(api, raw);
            const int threads = par ? static_cast<int>(vecta::detail::hardware_threads()) : 1;
            rt_->check(api->SetIntraOpNumThreads(opts.get(), threads), fn);
            rt_->check(api->SetInterOpNumThreads(opts.get(), 1), fn);
            rt_->check(api->SetSessionGraphOptimizationLevel(opts.get(), ORT_ENABLE_ALL), fn);
            OrtSession* created = nullptr;
            rt_->check(api->CreateSessionFromArray(rt_->env, bytes_.data(), bytes_.size(), opts.get(), &created), fn);
            s = detail::session_ptr(api, created);
        }
        return s;
    }

    template <class T>
    void run_impl(bool par, image_view<const T> src, image_view<float>* dst, image<float>* out) const {
        constexpr std::string_view fn = "vecta::onnx::model::run";
        using vecta::detail::require;
        vecta::detail::check_image(src, fn, "src", in_channels_);
        const std::size_t W = src.width(), H = src.height(), C = src.channels();
        for (const auto* v : {&params_.mean, &params_.std})
            require(v->size() <= 1 || v->size() == C, fn, v == &params_.mean ? "params.mean" : "params.std",
                    "must have 0, 1 or " + std::to_string(C) + " values (src channels)");
        const bool fixed = fixed_w_ != 0 || fixed_h_ != 0;
        if (fixed)
            require((fixed_w_ == 0 || W == fixed_w_) && (fixed_h_ == 0 || H == fixed_h_), fn, "src",
                    "must be " + std::to_string(fixed_w_) + " x " + std::to_string(fixed_h_) +
                        " (the model's fixed input size; 0 = any)");
        if (dst) {
            require(dst->width() == W && dst->height() == H, fn, "dst", "must have the width and height of src");
            require(out_channels_ == 0 || dst->channels() == out_channels_, fn, "dst",
                    "must have " + std::to_string(out_channels_) + " channel(s) (the model's output)");
            require(!vecta::detail::views_overlap(src, *dst), fn, "dst", "must not overlap src in memory");
        }
        // Per-channel affine map: value = pixel * a[c] + b[c].
        std::vector<float> a(C), b(C);
        for (std::size_t c = 0; c < C; ++c) {
            const float m = params_.mean.empty() ? 0.0f : params_.mean[params_.mean.size() == 1 ? 0 : c];
            const float s = params_.std.empty() ? 1.0f : params_.std[params_.std.size() == 1 ? 0 : c];
            a[c] = params_.scale / s;
            b[c] = -m / s;
        }
        const detail::session_ptr& sess = session(par);
        const bool tiled = !fixed && (W > params_.tile_size || H > params_.tile_size);
        const std::size_t ov = tiled ? params_.tile_overlap : 0;
        const std::size_t step = tiled ? params_.tile_size - 2 * ov : std::max(W, H);
        std::vector<float> input;
        image_view<float> target = dst ? *dst : image_view<float>{};
        for (std::size_t y0 = 0; y0 < H; y0 += step) {
            const std::size_t y1 = std::min(H, y0 + step), ya = y0 > ov ? y0 - ov : 0, yb = std::min(H, y1 + ov);
            for (std::size_t x0 = 0; x0 < W; x0 += step) {
                const std::size_t x1 = std::min(W, x0 + step), xa = x0 > ov ? x0 - ov : 0, xb = std::min(W, x1 + ov);
                const std::size_t tw = xb - xa, th = yb - ya;
                fill_input(src, xa, ya, tw, th, a, b, input);
                detail::value_ptr result = run_tile(sess, input, tw, th, C);
                // Output: [1, Cout, th, tw] or [1, th, tw, Cout].
                std::size_t cout = 0;
                const float* o = output_data(result, tw, th, cout);
                if (target.empty()) {
                    *out = image<float>(W, H, cout);
                    target = out->view();
                }
                require(target.channels() == cout, fn, "dst",
                        "must have " + std::to_string(cout) + " channel(s) (the model's output)");
                const bool nchw = params_.tensor_layout == layout::nchw;
                for (std::size_t y = y0; y < y1; ++y) {
                    float* d = target.row(y) + x0 * cout;
                    const std::size_t ty = y - ya;
                    for (std::size_t x = x0; x < x1; ++x) {
                        const std::size_t tx = x - xa;
                        for (std::size_t c = 0; c < cout; ++c)
                            *d++ = nchw ? o[(c * th + ty) * tw + tx] : o[(ty * tw + tx) * cout + c];
                    }
                }
            }
        }
    }

    template <class T>
    void fill_input(image_view<const T> src, std::size_t xa, std::size_t ya, std::size_t tw, std::size_t th,
                    const std::vector<float>& a, const std::vector<float>& b, std::vector<float>& input) const {
        const std::size_t C = src.channels();
        input.resize(tw * th * C);
        const bool nchw = params_.tensor_layout == layout::nchw;
        for (std::size_t ty = 0; ty < th; ++ty) {
            const T* s = src.row(ya + ty) + xa * C;
            for (std::size_t tx = 0; tx < tw; ++tx)
                for (std::size_t c = 0; c < C; ++c) {
                    const float v = static_cast<float>(s[tx * C + c]) * a[c] + b[c];
                    input[nchw ? (c * th + ty) * tw + tx : (ty * tw + tx) * C + c] = v;
                }
        }
    }

    detail::value_ptr run_tile(const detail::session_ptr& sess, std::vector<float>& input, std::size_t tw,
                               std::size_t th, std::size_t C) const {
        constexpr std::string_view fn = "vecta::onnx::model::run";
        const OrtApi* api = rt_->api;
        const auto i64 = [](std::size_t v) { return static_cast<std::int64_t>(v); };
        const std::int64_t shape[4] = {1, i64(params_.tensor_layout == layout::nchw ? C : th),
                                       i64(params_.tensor_layout == layout::nchw ? th : tw),
                                       i64(params_.tensor_layout == layout::nchw ? tw : C)};
        OrtValue* in_raw = nullptr;
        rt_->check(api->CreateTensorWithDataAsOrtValue(rt_->cpu, input.data(), input.size() * sizeof(float), shape, 4,
                                                       ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &in_raw),
                   fn);
        detail::value_ptr in_value(api, in_raw);
        const char* in_names[] = {in_name_.c_str()};
        const char* out_names[] = {out_name_.c_str()};
        const OrtValue* inputs[] = {in_value.get()};
        OrtValue* out_raw = nullptr;
        rt_->check(api->Run(sess.get(), nullptr, in_names, inputs, 1, out_names, 1, &out_raw), fn);
        return detail::value_ptr(api, out_raw);
    }

    const float* output_data(const detail::value_ptr& result, std::size_t tw, std::size_t th, std::size_t& cout) const {
        constexpr std::string_view fn = "vecta::onnx::model::run";
        const OrtApi* api = rt_->api;
        OrtTensorTypeAndShapeInfo* raw = nullptr;
        rt_->check(api->GetTensorTypeAndShape(result.get(), &raw), fn);
        detail::shape_info_ptr info(api, raw);
        const detail::tensor_desc d = detail::describe(*rt_, info.get(), fn);
        const bool nchw = params_.tensor_layout == layout::nchw;
        const bool ok = d.type == ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT && d.dims.size() == 4 && d.dims[0] == 1 &&
                        d.dims[nchw ? 2 : 1] == std::int64_t(th) && d.dims[nchw ? 3 : 2] == std::int64_t(tw) &&
                        d.dims[nchw ? 1 : 3] >= 1;
        vecta::detail::require(ok, fn, "model",
                               "output must be float32 " + std::string(nchw ? "[1, C, H, W]" : "[1, H, W, C]") +
                                   " with the input's H = " + std::to_string(th) + " and W = " + std::to_string(tw) +
                                   ", is " + detail::dims_text(d.dims));
        cout = std::size_t(d.dims[nchw ? 1 : 3]);
        void* data = nullptr;
        rt_->check(api->GetTensorMutableData(result.get(), &data), fn);
        return static_cast<const float*>(data);
    }

    model_params params_;
    std::vector<unsigned char> bytes_;
    const detail::runtime* rt_ = nullptr;
    struct sessions_state {
        std::mutex mutex;
        detail::session_ptr sessions[2];
    };
    std::unique_ptr<sessions_state> state_ = std::make_unique<sessions_state>();
    std::string in_name_, out_name_;
    std::size_t in_channels_ = 0, out_channels_ = 0, fixed_w_ = 0, fixed_h_ = 0;
};

}  // namespace vecta::onnx

#endif  // VECTA_WITH_ONNXRUNTIME
