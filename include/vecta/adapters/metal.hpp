// SPDX-License-Identifier: MIT
// vecta/adapters/metal.hpp - Sobel and frame difference as Metal compute kernels (Apple only).
//
// Compiled only when VECTA_WITH_METAL is 1 (CMake: -DVECTA_WITH_METAL=ON -DVECTA_METAL_CPP_DIR=...
// and the target vecta::metal). Without the macro this header is empty on every platform; with
// it on a platform other than Apple it stops the build with an #error.
//
// It uses Apple's metal-cpp (https://developer.apple.com/metal/cpp/, a header-only C++ wrapper
// that is not part of Xcode): put its folder on the include path and, in exactly ONE .cpp file
// of the program, `#define VECTA_METAL_IMPLEMENTATION` before including this header (it emits
// metal-cpp's NS/MTL private implementation there, as metal-cpp requires). Link the Metal,
// Foundation and QuartzCore frameworks (vecta::metal does). The kernels are Metal Shading
// Language source compiled at run time (MTL::Device::newLibrary), so no offline metal toolchain
// is needed. When the machine has no Metal device, every function runs the CPU kernel instead.
//
// Status: written against metal-cpp for macOS 14/15; built and tested only by
// .github/workflows/macos.yml (this project's CI machines are Linux).
#pragma once

#if defined(VECTA_WITH_METAL) && VECTA_WITH_METAL

#if !defined(__APPLE__)
#error \
    "vecta/adapters/metal.hpp: VECTA_WITH_METAL needs macOS (Metal is Apple only); build without VECTA_WITH_METAL=1 here"
#endif

#define VECTA_METAL_ADAPTER 1

#ifdef VECTA_METAL_IMPLEMENTATION
#define NS_PRIVATE_IMPLEMENTATION
#define MTL_PRIVATE_IMPLEMENTATION
#define CA_PRIVATE_IMPLEMENTATION
#endif
#include <Foundation/Foundation.hpp>
#include <Metal/Metal.hpp>
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "../imgproc/frame_hash.hpp"
#include "../imgproc/sobel.hpp"

namespace vecta::metal {

namespace detail {

/// The Metal Shading Language kernels (same arithmetic as the CPU kernels: exact integers).
inline constexpr const char* kernels_source = R"msl(
#include <metal_stdlib>
using namespace metal;

struct sobel_args { uint w, h, stride_src, stride_dst, border; };  // border: 0 reflect101, 1 replicate, 2 constant
struct diff_args { uint w, h, channels, stride_a, stride_b, stride_m, threshold; };

static int map_index(int i, int n, uint mode) {
    if (i >= 0 && i < n) return i;
    if (mode == 1) return i < 0 ? 0 : n - 1;
    if (mode == 2) return -1;
    if (n == 1) return 0;
    int period = 2 * (n - 1);
    int j = i % period;
    if (j < 0) j += period;
    return j < n ? j : period - j;
}

kernel void vecta_sobel(device const uchar* src [[buffer(0)]], device short* dx [[buffer(1)]],
                        device short* dy [[buffer(2)]], constant sobel_args& a [[buffer(3)]],
                        uint2 gid [[thread_position_in_grid]]) {
    if (gid.x >= a.w || gid.y >= a.h) return;
    int v[3][3];
    for (int i = -1; i <= 1; ++i) {
        int yy = map_index(int(gid.y) + i, int(a.h), a.border);
        for (int j = -1; j <= 1; ++j) {
            int xx = map_index(int(gid.x) + j, int(a.w), a.border);
            v[i + 1][j + 1] = (yy < 0 || xx < 0) ? 0 : int(src[uint(yy) * a.stride_src + uint(xx)]);
        }
    }
    int gx = (v[0][2] + 2 * v[1][2] + v[2][2]) - (v[0][0] + 2 * v[1][0] + v[2][0]);
    int gy = (v[2][0] + 2 * v[2][1] + v[2][2]) - (v[0][0] + 2 * v[0][1] + v[0][2]);
    dx[gid.y * a.stride_dst + gid.x] = short(gx);
    dy[gid.y * a.stride_dst + gid.x] = short(gy);
}

kernel void vecta_frame_difference(device const uchar* a [[buffer(0)]], device const uchar* b [[buffer(1)]],
                                   device uchar* m [[buffer(2)]], device atomic_uint* count [[buffer(3)]],
                                   constant diff_args& p [[buffer(4)]], uint2 gid [[thread_position_in_grid]]) {
    if (gid.x >= p.w || gid.y >= p.h) return;
    uchar v = 0;
    for (uint c = 0; c < p.channels; ++c) {
        int d = abs(int(a[gid.y * p.stride_a + gid.x * p.channels + c]) - int(b[gid.y * p.stride_b + gid.x * p.channels + c]));
        if (d > int(p.threshold)) v = 255;
    }
    m[gid.y * p.stride_m + gid.x] = v;
    if (v) atomic_fetch_add_explicit(count, 1u, memory_order_relaxed);
}
)msl";

[[noreturn]] inline void fail(const char* what, NS::Error* error) {
    std::string msg = std::string("vecta::metal: ") + what;
    if (error != nullptr && error->localizedDescription() != nullptr)
        msg += std::string(": ") + error->localizedDescription()->utf8String();
    throw io_error(msg);
}

/// The default device, its queue and the two pipelines, created once (nullptr device: no Metal).
class context {
public:
    MTL::Device* device = nullptr;
    MTL::CommandQueue* queue = nullptr;
    MTL::ComputePipelineState* sobel = nullptr;
    MTL::ComputePipelineState* diff = nullptr;

    static const context& get() {
        static const context ctx;
        return ctx;
    }

private:
    context() {
        NS::AutoreleasePool* pool = NS::AutoreleasePool::alloc()->init();
        device = MTL::CreateSystemDefaultDevice();
        if (device != nullptr) {
            NS::Error* error = nullptr;
            MTL::Library* lib =
                device->newLibrary(NS::String::string(kernels_source, NS::UTF8StringEncoding), nullptr, &error);
            if (lib == nullptr) {
                pool->release();
                fail("cannot compile the kernels", error);
            }
            sobel = pipeline(lib, "vecta_sobel");
            diff = pipeline(lib, "vecta_frame_difference");
            lib->release();
            queue = device->newCommandQueue();
        }
        pool->release();
    }

    MTL::ComputePipelineState* pipeline(MTL::Library* lib, const char* name) {
        MTL::Function* fn = lib->newFunction(NS::String::string(name, NS::UTF8StringEncoding));
        if (fn == nullptr) fail("kernel function missing", nullptr);
        NS::Error* error = nullptr;
        MTL::ComputePipelineState* p = device->newComputePipelineState(fn, &error);
        fn->release();
        if (p == nullptr) fail("cannot create a compute pipeline", error);
        return p;
    }
};

/// A shared-storage buffer holding `rows` rows of `row_bytes` bytes, copied from a view.
template <class T>
MTL::Buffer* upload(MTL::Device* device, image_view<const T> v) {
    const std::size_t row = v.width() * v.channels() * sizeof(T);
    MTL::Buffer* buf = device->newBuffer(row * v.height(), MTL::ResourceStorageModeShared);
    if (buf == nullptr) fail("cannot allocate a buffer", nullptr);
    auto* d = static_cast<unsigned char*>(buf->contents());
    for (std::size_t y = 0; y < v.height(); ++y) std::memcpy(d + y * row, v.row(y), row);
    return buf;
}

template <class T>
void download(MTL::Buffer* buf, image_view<T> v) {
    const std::size_t row = v.width() * v.channels() * sizeof(T);
    const auto* s = static_cast<const unsigned char*>(buf->contents());
    for (std::size_t y = 0; y < v.height(); ++y) std::memcpy(v.row(y), s + y * row, row);
}

/// Encodes one 2-D dispatch of w x h threads, runs it and waits.
template <class Bind>
void run(const context& ctx, MTL::ComputePipelineState* pso, std::size_t w, std::size_t h, Bind&& bind) {
    MTL::CommandBuffer* cmd = ctx.queue->commandBuffer();
    MTL::ComputeCommandEncoder* enc = cmd->computeCommandEncoder();
    enc->setComputePipelineState(pso);
    bind(enc);
    const NS::UInteger tw = pso->threadExecutionWidth();
    const NS::UInteger th = std::max<NS::UInteger>(1, pso->maxTotalThreadsPerThreadgroup() / tw);
    enc->dispatchThreads(MTL::Size(w, h, 1), MTL::Size(tw, th, 1));
    enc->endEncoding();
    cmd->commit();
    cmd->waitUntilCompleted();
    if (cmd->status() == MTL::CommandBufferStatusError) fail("the kernel failed", cmd->error());
}

inline std::uint32_t u32(std::size_t v, std::string_view fn, std::string_view name) {
    vecta::detail::require(v <= 0xFFFFFFFFu, fn, name, "must be < 2^32 elements for the Metal kernels");
    return static_cast<std::uint32_t>(v);
}

}  // namespace detail

/// True when the system has a Metal device (otherwise the functions below run on the CPU).
inline bool available() { return detail::context::get().device != nullptr; }

/// vecta::sobel on the GPU: same arguments, results (exact integers, params.border honoured)
/// and exceptions as vecta::sobel (names "vecta::metal::sobel"); runs vecta::sobel(policy, ...)
/// when no Metal device is present. Pixels are copied to and from shared Metal buffers.
/// Throws vecta::io_error when Metal fails (with the NSError description).
template <execution_policy P>
void sobel(const P& policy, image_view<const std::uint8_t> src, image_view<std::int16_t> dx,
           image_view<std::int16_t> dy, const sobel_params& params = {}) {
    constexpr std::string_view fn = "vecta::metal::sobel";
    vecta::detail::check_image(src, fn, "src", 1);
    vecta::detail::check_same_shape(src, dx, fn, "dx");
    vecta::detail::check_same_shape(src, dy, fn, "dy");
    vecta::detail::require(!vecta::detail::views_overlap(src, dx), fn, "dx", "must not overlap src in memory");
    vecta::detail::require(!vecta::detail::views_overlap(src, dy), fn, "dy", "must not overlap src in memory");
    vecta::detail::require(!vecta::detail::views_overlap(dx, dy), fn, "dy", "must not overlap dx in memory");
    vecta::detail::check_border(params.border, fn, "params.border");
    const detail::context& ctx = detail::context::get();
    if (ctx.device == nullptr) return vecta::sobel(policy, src, dx, dy, params);
    const std::size_t w = src.width(), h = src.height();
    detail::u32(w * h, fn, "src");  // the kernel indexes with 32-bit integers
    const std::uint32_t border = params.border == border_mode::reflect101  ? 0u
                                 : params.border == border_mode::replicate ? 1u
                                                                           : 2u;
    struct {
        std::uint32_t w, h, stride_src, stride_dst, border;
    } args{detail::u32(w, fn, "src"), detail::u32(h, fn, "src"), detail::u32(w, fn, "src"), detail::u32(w, fn, "src"),
           border};
    NS::AutoreleasePool* pool = NS::AutoreleasePool::alloc()->init();
    MTL::Buffer* in = detail::upload(ctx.device, src);
    MTL::Buffer* bx = ctx.device->newBuffer(w * h * sizeof(std::int16_t), MTL::ResourceStorageModeShared);
    MTL::Buffer* by = ctx.device->newBuffer(w * h * sizeof(std::int16_t), MTL::ResourceStorageModeShared);
    try {
        if (bx == nullptr || by == nullptr) detail::fail("cannot allocate a buffer", nullptr);
        detail::run(ctx, ctx.sobel, w, h, [&](MTL::ComputeCommandEncoder* enc) {
            enc->setBuffer(in, 0, 0);
            enc->setBuffer(bx, 0, 1);
            enc->setBuffer(by, 0, 2);
            enc->setBytes(&args, sizeof(args), 3);
        });
        detail::download(bx, dx);
        detail::download(by, dy);
    } catch (...) {
        in->release();
        if (bx) bx->release();
        if (by) by->release();
        pool->release();
        throw;
    }
    in->release();
    bx->release();
    by->release();
    pool->release();
}

/// metal::sobel(vecta::seq, src, dx, dy, params) (seq only matters for the CPU fallback).
inline void sobel(image_view<const std::uint8_t> src, image_view<std::int16_t> dx, image_view<std::int16_t> dy,
                  const sobel_params& params = {}) {
    sobel(seq, src, dx, dy, params);
}

/// vecta::frame_difference on the GPU: same arguments, mask, count and exceptions (names
/// "vecta::metal::frame_difference"); runs vecta::frame_difference(policy, ...) when no Metal
/// device is present. Throws vecta::io_error when Metal fails.
template <execution_policy P>
std::size_t frame_difference(const P& policy, image_view<const std::uint8_t> a, image_view<const std::uint8_t> b,
                             image_view<std::uint8_t> mask_out, int threshold = 25) {
    constexpr std::string_view fn = "vecta::metal::frame_difference";
    vecta::detail::check_image(a, fn, "a");
    vecta::detail::check_same_shape(a, b, fn, "b");
    vecta::detail::require(mask_out.width() == a.width() && mask_out.height() == a.height() && mask_out.channels() == 1,
                           fn, "mask_out", "must have the width and height of a and 1 channel");
    vecta::detail::require(!vecta::detail::views_overlap(a, mask_out) && !vecta::detail::views_overlap(b, mask_out), fn,
                           "mask_out", "must not overlap a or b in memory");
    vecta::detail::require(threshold >= 0 && threshold <= 255, fn, "threshold", "must be in [0, 255]");
    const detail::context& ctx = detail::context::get();
    if (ctx.device == nullptr) return vecta::frame_difference(policy, a, b, mask_out, threshold);
    const std::size_t w = a.width(), h = a.height(), c = a.channels();
    detail::u32(w * h * c, fn, "a");  // the kernel indexes with 32-bit integers
    struct {
        std::uint32_t w, h, channels, stride_a, stride_b, stride_m, threshold;
    } args{detail::u32(w, fn, "a"),
           detail::u32(h, fn, "a"),
           detail::u32(c, fn, "a"),
           detail::u32(w * c, fn, "a"),
           detail::u32(w * c, fn, "b"),
           detail::u32(w, fn, "mask_out"),
           static_cast<std::uint32_t>(threshold)};
    NS::AutoreleasePool* pool = NS::AutoreleasePool::alloc()->init();
    MTL::Buffer* ba = detail::upload(ctx.device, a);
    MTL::Buffer* bb = detail::upload(ctx.device, b);
    MTL::Buffer* bm = ctx.device->newBuffer(w * h, MTL::ResourceStorageModeShared);
    MTL::Buffer* bc = ctx.device->newBuffer(sizeof(std::uint32_t), MTL::ResourceStorageModeShared);
    std::size_t count = 0;
    try {
        if (bm == nullptr || bc == nullptr) detail::fail("cannot allocate a buffer", nullptr);
        std::memset(bc->contents(), 0, sizeof(std::uint32_t));
        detail::run(ctx, ctx.diff, w, h, [&](MTL::ComputeCommandEncoder* enc) {
            enc->setBuffer(ba, 0, 0);
            enc->setBuffer(bb, 0, 1);
            enc->setBuffer(bm, 0, 2);
            enc->setBuffer(bc, 0, 3);
            enc->setBytes(&args, sizeof(args), 4);
        });
        detail::download(bm, mask_out);
        std::uint32_t n = 0;
        std::memcpy(&n, bc->contents(), sizeof(n));
        count = n;
    } catch (...) {
        for (MTL::Buffer* buf : {ba, bb, bm, bc})
            if (buf) buf->release();
        pool->release();
        throw;
    }
    for (MTL::Buffer* buf : {ba, bb, bm, bc}) buf->release();
    pool->release();
    return count;
}

/// metal::frame_difference(vecta::seq, a, b, mask_out, threshold).
inline std::size_t frame_difference(image_view<const std::uint8_t> a, image_view<const std::uint8_t> b,
                                    image_view<std::uint8_t> mask_out, int threshold = 25) {
    return frame_difference(seq, a, b, mask_out, threshold);
}

}  // namespace vecta::metal

#endif  // VECTA_WITH_METAL
