// SPDX-License-Identifier: MIT
// src/codecs/codecs.cpp - vecta::codecs (see codecs.hpp): sniffing, decode and encode by format,
// JPEG, WebP and TIFF, and stb_image for the other formats; PNG is in png.cpp and png_fast.cpp,
// netpbm in pbm.cpp (codecs_internal.hpp lists the files). Every library is driven through its
// documented C API from memory buffers; libjpeg reports errors by longjmp, so each call keeps its
// state in one heap object created before setjmp and never reassigned (no automatic variable
// changes between setjmp and longjmp).
#include "codecs.hpp"  // first: jpeglib.h needs size_t and FILE declared before it

#include <jerror.h>
#include <jpeglib.h>
#include <tiffio.h>
#include <webp/decode.h>
#include <webp/encode.h>

#include <algorithm>
#include <cctype>
#include <csetjmp>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <vecta/io/image_file.hpp>
#include <vector>

#include "codecs_internal.hpp"

namespace vecta::codecs {
using namespace internal;
namespace {

const char* format_name(format f) noexcept {
    switch (f) {
        case format::png: return "PNG";
        case format::jpeg: return "JPEG";
        case format::webp: return "WebP";
        case format::tiff: return "TIFF";
        default: return "image";
    }
}

// ---- JPEG (libjpeg-turbo) ---------------------------------------------------------------------

struct jpeg_state {
    jpeg_decompress_struct d{};
    jpeg_compress_struct c{};
    jpeg_error_mgr err{};
    jpeg_progress_mgr progress{};
    std::jmp_buf jump{};
    char msg[JMSG_LENGTH_MAX] = "unknown error";
    bool truncated = false;
    image<u8> img;
    std::vector<u8> row;
    jpeg_destination_mgr dest{};  // encoder output: buf, appended to out
    std::vector<u8> buf;
    std::string out;
};

constexpr int jpeg_max_scans = 1000;  // progressive files with more scans are refused (CPU bomb)

void jpeg_on_error(j_common_ptr c) {
    auto* s = reinterpret_cast<jpeg_state*>(c->client_data);
    (*c->err->format_message)(c, s->msg);
    std::longjmp(s->jump, 1);
}
void jpeg_on_message(j_common_ptr c, int level) {
    auto* s = reinterpret_cast<jpeg_state*>(c->client_data);
    if (level < 0 && c->err->msg_code == JWRN_JPEG_EOF) s->truncated = true;
}
void jpeg_on_progress(j_common_ptr c) {
    if (c->is_decompressor && reinterpret_cast<j_decompress_ptr>(c)->input_scan_number > jpeg_max_scans) {
        auto* s = reinterpret_cast<jpeg_state*>(c->client_data);
        std::snprintf(s->msg, sizeof s->msg, "more than %d scans", jpeg_max_scans);
        std::longjmp(s->jump, 1);
    }
}

/// EXIF Orientation (tag 0x0112) from an APP1 payload ("Exif\0\0" + a TIFF structure): 1..8, or
/// 1 when absent or malformed. Every offset is checked against the payload size.
int exif_orientation(const unsigned char* d, std::size_t n) noexcept {
    if (n < 14 || std::memcmp(d, "Exif\0\0", 6) != 0) return 1;
    const unsigned char* t = d + 6;
    const std::size_t tn = n - 6;
    const bool le = t[0] == 'I' && t[1] == 'I';
    if (!le && !(t[0] == 'M' && t[1] == 'M')) return 1;
    auto u16 = [&](std::size_t o) -> unsigned { return le ? t[o] | t[o + 1] << 8 : t[o] << 8 | t[o + 1]; };
    auto u32 = [&](std::size_t o) -> std::uint32_t {
        return le ? std::uint32_t(u16(o)) | std::uint32_t(u16(o + 2)) << 16
                  : std::uint32_t(u16(o)) << 16 | std::uint32_t(u16(o + 2));
    };
    if (u16(2) != 42) return 1;
    const std::uint64_t ifd = u32(4);
    if (ifd + 2 > tn) return 1;
    const unsigned count = u16(ifd);
    for (unsigned i = 0; i < count; ++i) {
        const std::uint64_t e = ifd + 2 + 12 * std::uint64_t(i);
        if (e + 12 > tn) break;
        if (u16(e) == 0x0112 && u16(e + 2) == 3 /* SHORT */) {
            const unsigned v = u16(e + 8);
            return v >= 1 && v <= 8 ? int(v) : 1;
        }
    }
    return 1;
}

/// The displayed image of stored pixels with EXIF orientation o (2 mirror, 3 rotate 180,
/// 4 flip, 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 counter-clockwise).
image<u8> orient(image<u8>&& src, int o) {
    if (o <= 1 || o > 8) return std::move(src);
    const std::size_t w = src.width(), h = src.height(), c = src.channels();
    const bool swap = o >= 5;
    image<u8> out(swap ? h : w, swap ? w : h, c);
    const std::size_t ow = out.width(), oh = out.height();
    for (std::size_t v = 0; v < oh; ++v) {
        u8* d = out.view().row(v);
        for (std::size_t u = 0; u < ow; ++u) {
            std::size_t x = u, y = v;
            switch (o) {
                case 2: x = w - 1 - u, y = v; break;
                case 3: x = w - 1 - u, y = h - 1 - v; break;
                case 4: x = u, y = h - 1 - v; break;
                case 5: x = v, y = u; break;
                case 6: x = v, y = h - 1 - u; break;
                case 7: x = w - 1 - v, y = h - 1 - u; break;
                case 8: x = w - 1 - v, y = u; break;
            }
            std::memcpy(d + u * c, src.view().row(y) + x * c, c);
        }
    }
    return out;
}

image<u8> decode_jpeg(std::span<const unsigned char> bytes, const decode_params& p, std::string_view what) {
    const auto st = std::make_unique<jpeg_state>();
    jpeg_decompress_struct* d = &st->d;
    d->err = jpeg_std_error(&st->err);
    st->err.error_exit = jpeg_on_error;
    st->err.emit_message = jpeg_on_message;
    d->client_data = st.get();
    if (setjmp(st->jump)) {
        jpeg_destroy_decompress(d);
        corrupt(what, format::jpeg, st->msg);
    }
    jpeg_create_decompress(d);
    d->client_data = st.get();  // jpeg_create_decompress clears the struct but keeps err
    st->progress.progress_monitor = jpeg_on_progress;
    d->progress = &st->progress;
    jpeg_mem_src(d, bytes.data(), static_cast<unsigned long>(bytes.size()));
    jpeg_save_markers(d, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(d, TRUE);
    bool cmyk = false;
    try {
        check_size(d->image_width, d->image_height, p, what, format::jpeg);
    } catch (...) {
        jpeg_destroy_decompress(d);
        throw;
    }
    if (d->jpeg_color_space == JCS_GRAYSCALE) {
        d->out_color_space = JCS_GRAYSCALE;
    } else if (d->jpeg_color_space == JCS_CMYK || d->jpeg_color_space == JCS_YCCK) {
        d->out_color_space = JCS_CMYK;
        cmyk = true;
    } else {
        d->out_color_space = JCS_RGB;
    }
    int orientation = 1;
    if (p.apply_orientation)
        for (jpeg_saved_marker_ptr m = d->marker_list; m; m = m->next)
            if (m->marker == JPEG_APP0 + 1) {
                orientation = exif_orientation(m->data, m->data_length);
                if (orientation != 1) break;
            }
    jpeg_start_decompress(d);
    const std::size_t w = d->output_width, h = d->output_height, oc = std::size_t(d->output_components);
    if (oc != (cmyk ? 4u : d->out_color_space == JCS_GRAYSCALE ? 1u : 3u)) {
        std::snprintf(st->msg, sizeof st->msg, "unexpected number of components (%d)", d->output_components);
        std::longjmp(st->jump, 1);
    }
    try {
        st->img = image<u8>(w, h, cmyk ? 3 : oc);
        if (cmyk) st->row.resize(w * 4);
    } catch (...) {
        jpeg_destroy_decompress(d);
        throw;
    }
    while (d->output_scanline < h) {
        const std::size_t y = d->output_scanline;
        JSAMPROW row = cmyk ? st->row.data() : st->img.view().row(y);
        if (jpeg_read_scanlines(d, &row, 1) != 1) break;
        if (cmyk) {
            // Adobe writes inverted CMYK (the common case: 255 = no ink); others store ink.
            const bool inverted = d->saw_Adobe_marker;
            u8* out = st->img.view().row(y);
            for (std::size_t x = 0; x < w; ++x) {
                const unsigned k = inverted ? row[4 * x + 3] : 255u - row[4 * x + 3];
                for (int ch = 0; ch < 3; ++ch) {
                    const unsigned v = inverted ? row[4 * x + ch] : 255u - row[4 * x + ch];
                    out[3 * x + ch] = static_cast<u8>((v * k + 127) / 255);
                }
            }
        }
    }
    const bool complete = d->output_scanline == h;
    jpeg_destroy_decompress(d);
    if (!complete || st->truncated)
        corrupt(what, format::jpeg, "the data ends before the image is complete (truncated)");
    return orient(std::move(st->img), orientation);
}

/// libjpeg destination appending to jpeg_state::out through a 64 KiB buffer.
void jpeg_dest_init(j_compress_ptr c) {
    auto* s = reinterpret_cast<jpeg_state*>(c->client_data);
    c->dest->next_output_byte = s->buf.data();
    c->dest->free_in_buffer = s->buf.size();
}
boolean jpeg_dest_empty(j_compress_ptr c) {
    auto* s = reinterpret_cast<jpeg_state*>(c->client_data);
    try {
        s->out.append(reinterpret_cast<const char*>(s->buf.data()), s->buf.size());
    } catch (...) {
        ERREXIT(c, JERR_OUT_OF_MEMORY);
    }
    jpeg_dest_init(c);
    return TRUE;
}
void jpeg_dest_term(j_compress_ptr c) {
    auto* s = reinterpret_cast<jpeg_state*>(c->client_data);
    try {
        s->out.append(reinterpret_cast<const char*>(s->buf.data()), s->buf.size() - c->dest->free_in_buffer);
    } catch (...) {
        ERREXIT(c, JERR_OUT_OF_MEMORY);
    }
}

std::string encode_jpeg(image_view<const u8> img, int quality) {
    const auto st = std::make_unique<jpeg_state>();
    jpeg_compress_struct* c = &st->c;
    c->err = jpeg_std_error(&st->err);
    st->err.error_exit = jpeg_on_error;
    st->err.emit_message = jpeg_on_message;
    c->client_data = st.get();
    if (setjmp(st->jump)) {
        jpeg_destroy_compress(c);
        throw io_error(std::string("vecta::codecs::encode: JPEG encoding failed: ") + st->msg);
    }
    jpeg_create_compress(c);
    c->client_data = st.get();
    st->buf.resize(std::size_t(1) << 16);
    st->dest.init_destination = jpeg_dest_init;
    st->dest.empty_output_buffer = jpeg_dest_empty;
    st->dest.term_destination = jpeg_dest_term;
    c->dest = &st->dest;
    const std::size_t w = img.width(), h = img.height(), ch = img.channels();
    const bool grey = ch <= 2;
    c->image_width = static_cast<JDIMENSION>(w);
    c->image_height = static_cast<JDIMENSION>(h);
    c->input_components = grey ? 1 : 3;
    c->in_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(c);
    jpeg_set_quality(c, quality, TRUE);
    jpeg_start_compress(c, TRUE);
    const std::size_t oc = grey ? 1 : 3;
    if (ch != oc) st->row.resize(w * oc);  // alpha dropped
    while (c->next_scanline < h) {
        const u8* src = img.row(c->next_scanline);
        JSAMPROW row;
        if (ch == oc) {
            row = const_cast<u8*>(src);  // libjpeg does not write to its input rows
        } else {
            for (std::size_t x = 0; x < w; ++x)
                for (std::size_t k = 0; k < oc; ++k) st->row[x * oc + k] = src[x * ch + k];
            row = st->row.data();
        }
        jpeg_write_scanlines(c, &row, 1);
    }
    jpeg_finish_compress(c);
    jpeg_destroy_compress(c);
    return std::move(st->out);
}

// ---- WebP (libwebp) ---------------------------------------------------------------------------

const char* webp_status_text(VP8StatusCode s) noexcept {
    switch (s) {
        case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
        case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
        case VP8_STATUS_BITSTREAM_ERROR: return "corrupt bitstream";
        case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported feature";
        case VP8_STATUS_SUSPENDED: return "suspended";
        case VP8_STATUS_USER_ABORT: return "aborted";
        case VP8_STATUS_NOT_ENOUGH_DATA: return "the data ends early (truncated)";
        default: return "unknown error";
    }
}

image<u8> decode_webp(std::span<const unsigned char> bytes, const decode_params& p, std::string_view what) {
    WebPBitstreamFeatures f;
    const VP8StatusCode s = WebPGetFeatures(bytes.data(), bytes.size(), &f);
    if (s != VP8_STATUS_OK) corrupt(what, format::webp, webp_status_text(s));
    if (f.has_animation) corrupt(what, format::webp, "animated WebP is not supported");
    if (f.width <= 0 || f.height <= 0) corrupt(what, format::webp, "zero width or height");
    check_size(std::uint64_t(f.width), std::uint64_t(f.height), p, what, format::webp);
    const std::size_t c = f.has_alpha ? 4 : 3;
    image<u8> img(std::size_t(f.width), std::size_t(f.height), c);
    const int stride = f.width * int(c);
    const u8* ok = c == 4 ? WebPDecodeRGBAInto(bytes.data(), bytes.size(), img.data(), img.size(), stride)
                          : WebPDecodeRGBInto(bytes.data(), bytes.size(), img.data(), img.size(), stride);
    if (!ok) corrupt(what, format::webp, "corrupt or truncated data");
    return img;
}

int webp_write(const std::uint8_t* data, std::size_t size, const WebPPicture* pic) {
    auto* out = static_cast<std::string*>(pic->custom_ptr);
    try {
        out->append(reinterpret_cast<const char*>(data), size);
    } catch (...) {
        return 0;
    }
    return 1;
}

std::string encode_webp(image_view<const u8> img, int quality, bool lossless) {
    const std::size_t w = img.width(), h = img.height(), ch = img.channels();
    WebPConfig cfg;
    if (!WebPConfigInit(&cfg)) throw io_error("vecta::codecs::encode: libwebp version mismatch");
    cfg.lossless = lossless ? 1 : 0;
    cfg.quality = lossless ? 75.0f : static_cast<float>(quality);  // lossless: effort, libwebp's default
    cfg.exact = lossless ? 1 : 0;  // keep RGB under alpha 0 (a lossless round trip is exact)
    // Grey (+ alpha) expanded to RGB(A): WebP has no grey mode.
    const bool alpha = ch == 2 || ch == 4;
    const std::size_t oc = alpha ? 4 : 3;
    image<u8> expanded;
    const u8* data = img.data();
    std::size_t stride = img.stride();
    if (ch <= 2) {
        expanded = image<u8>(w, h, oc);
        for (std::size_t y = 0; y < h; ++y) io::detail::convert_channels(img.row(y), ch, expanded.view().row(y), oc, w);
        data = expanded.data();
        stride = expanded.stride();
    }
    WebPPicture pic;
    if (!WebPPictureInit(&pic)) throw io_error("vecta::codecs::encode: libwebp version mismatch");
    pic.use_argb = lossless ? 1 : 0;
    pic.width = static_cast<int>(w);
    pic.height = static_cast<int>(h);
    std::string out;
    const int imported = alpha ? WebPPictureImportRGBA(&pic, data, static_cast<int>(stride))
                               : WebPPictureImportRGB(&pic, data, static_cast<int>(stride));
    if (!imported) {
        WebPPictureFree(&pic);
        throw std::bad_alloc();
    }
    pic.writer = webp_write;
    pic.custom_ptr = &out;
    const int ok = WebPEncode(&cfg, &pic);
    const int code = pic.error_code;
    WebPPictureFree(&pic);
    if (!ok) throw io_error("vecta::codecs::encode: WebP encoding failed (libwebp error " + std::to_string(code) + ")");
    return out;
}

// ---- TIFF (libtiff) ---------------------------------------------------------------------------

struct tiff_io {
    const unsigned char* src = nullptr;  // reading
    std::string* dst = nullptr;          // writing
    std::uint64_t size = 0, pos = 0;
    char msg[256] = "";
};

tmsize_t tiff_read(thandle_t h, void* buf, tmsize_t n) {
    auto* t = static_cast<tiff_io*>(h);
    if (n <= 0) return 0;
    const std::uint64_t left = t->pos < t->size ? t->size - t->pos : 0;
    const std::uint64_t k = std::min<std::uint64_t>(std::uint64_t(n), left);
    const unsigned char* base = t->dst ? reinterpret_cast<const unsigned char*>(t->dst->data()) : t->src;
    if (k) std::memcpy(buf, base + t->pos, k);
    t->pos += k;
    return static_cast<tmsize_t>(k);
}
tmsize_t tiff_write(thandle_t h, void* buf, tmsize_t n) {
    auto* t = static_cast<tiff_io*>(h);
    if (!t->dst || n < 0) return -1;
    try {
        const std::uint64_t end = t->pos + std::uint64_t(n);
        if (end > t->dst->size()) t->dst->resize(end);
        std::memcpy(t->dst->data() + t->pos, buf, std::size_t(n));
        t->pos = end;
        t->size = std::max<std::uint64_t>(t->size, end);
    } catch (...) {
        return -1;
    }
    return n;
}
toff_t tiff_seek(thandle_t h, toff_t off, int whence) {
    auto* t = static_cast<tiff_io*>(h);
    const std::int64_t base = whence == SEEK_CUR   ? std::int64_t(t->pos)
                              : whence == SEEK_END ? std::int64_t(t->size)
                                                   : 0;
    const std::int64_t to = base + static_cast<std::int64_t>(off);
    if (to < 0 || (!t->dst && std::uint64_t(to) > (std::uint64_t(1) << 62))) return static_cast<toff_t>(-1);
    t->pos = std::uint64_t(to);
    return t->pos;
}
int tiff_close(thandle_t) { return 0; }
toff_t tiff_size(thandle_t h) { return static_cast<tiff_io*>(h)->size; }
int tiff_map(thandle_t, void**, toff_t*) { return 0; }
void tiff_unmap(thandle_t, void*, toff_t) {}
int tiff_on_error(TIFF*, void* user, const char* module, const char* fmt, va_list ap) {
    auto* t = static_cast<tiff_io*>(user);
    if (t->msg[0] == '\0') {  // the first error is the cause
        char text[200];
        std::vsnprintf(text, sizeof text, fmt, ap);
        std::snprintf(t->msg, sizeof t->msg, "%s%s%s", module ? module : "", module ? ": " : "", text);
    }
    return 1;
}
int tiff_on_warning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

using tiff_ptr = std::unique_ptr<TIFF, void (*)(TIFF*)>;

tiff_ptr tiff_open(tiff_io& io, const char* mode, std::uint64_t max_alloc) {
    TIFFOpenOptions* opts = TIFFOpenOptionsAlloc();
    if (!opts) throw std::bad_alloc();
    TIFFOpenOptionsSetErrorHandlerExtR(opts, tiff_on_error, &io);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, tiff_on_warning, &io);
    TIFFOpenOptionsSetMaxSingleMemAlloc(opts, static_cast<tmsize_t>(max_alloc));
    TIFF* t = TIFFClientOpenExt("memory", mode, &io, tiff_read, tiff_write, tiff_seek, tiff_close, tiff_size, tiff_map,
                                tiff_unmap, opts);
    TIFFOpenOptionsFree(opts);
    return tiff_ptr(t, TIFFClose);
}

image<u8> decode_tiff(std::span<const unsigned char> bytes, const decode_params& p, std::string_view what) {
    tiff_io io{.src = bytes.data(), .dst = nullptr, .size = bytes.size(), .pos = 0, .msg = ""};
    // One allocation may hold a whole 16-bit strip of the largest accepted image.
    const std::uint64_t max_alloc =
        std::min<std::uint64_t>(std::uint64_t(p.max_pixels) * 8 + (std::uint64_t(1) << 20), std::uint64_t(1) << 40);
    const tiff_ptr tif = tiff_open(io, "rm", max_alloc);  // "m": no memory mapping
    auto fail = [&](const char* why) { corrupt(what, format::tiff, io.msg[0] ? io.msg : why); };
    if (!tif) fail("not a readable TIFF structure");
    std::uint32_t w = 0, h = 0;
    if (!TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &w) || !TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &h))
        fail("no image width or length");
    check_size(w, h, p, what, format::tiff);
    std::uint16_t spp = 1, bps = 1, photometric = 0, planar = PLANARCONFIG_CONTIG, sample_format = SAMPLEFORMAT_UINT;
    std::uint16_t extra = 0;
    std::uint16_t* extra_types = nullptr;
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_BITSPERSAMPLE, &bps);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLEFORMAT, &sample_format);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_EXTRASAMPLES, &extra, &extra_types);
    const bool has_photometric = TIFFGetField(tif.get(), TIFFTAG_PHOTOMETRIC, &photometric) != 0;
    const bool direct = has_photometric && !TIFFIsTiled(tif.get()) && planar == PLANARCONFIG_CONTIG &&
                        sample_format == SAMPLEFORMAT_UINT && (bps == 8 || bps == 16) &&
                        ((photometric == PHOTOMETRIC_MINISBLACK && (spp == 1 || spp == 2)) ||
                         (photometric == PHOTOMETRIC_RGB && (spp == 3 || spp == 4)));
    if (direct) {
        // Samples as stored (8 bits, or 16 scaled with rounding), read row by row.
        const std::size_t c = spp, row_bytes = std::size_t(w) * c * (bps / 8);
        if (TIFFScanlineSize64(tif.get()) != row_bytes) fail("unexpected scanline size");
        image<u8> img(w, h, c);
        std::vector<u8> buf(bps == 16 ? row_bytes : 0);
        for (std::uint32_t y = 0; y < h; ++y) {
            u8* out = img.view().row(y);
            if (TIFFReadScanline(tif.get(), bps == 16 ? buf.data() : out, y, 0) < 0) fail("cannot read a row");
            if (bps == 16) {
                const auto* s = reinterpret_cast<const std::uint16_t*>(buf.data());  // host order (libtiff swaps)
                for (std::size_t i = 0; i < std::size_t(w) * c; ++i)
                    out[i] = static_cast<u8>((std::uint32_t(s[i]) * 255u + 32767u) / 65535u);
            }
        }
        return img;
    }
    // Everything else (palette, bilevel, YCbCr, CMYK, tiles, planes, other depths) through
    // libtiff's RGBA reader.
    char emsg[1024] = "";
    if (!TIFFRGBAImageOK(tif.get(), emsg)) fail(emsg[0] ? emsg : "unsupported layout");
    std::vector<std::uint32_t> raster(std::size_t(w) * h);
    if (!TIFFReadRGBAImageOriented(tif.get(), w, h, raster.data(), ORIENTATION_TOPLEFT, 1))
        fail("cannot read the pixels");
    const bool grey = has_photometric &&
                      (photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE) &&
                      spp - std::min<std::uint16_t>(extra, spp) == 1;
    const std::size_t c = (grey ? 1 : 3) + (extra > 0 ? 1 : 0);
    image<u8> img(w, h, c);
    for (std::size_t i = 0; i < raster.size(); ++i) {
        const std::uint32_t v = raster[i];
        u8* o = img.data() + i * c;
        o[0] = static_cast<u8>(TIFFGetR(v));
        if (!grey) o[1] = static_cast<u8>(TIFFGetG(v)), o[2] = static_cast<u8>(TIFFGetB(v));
        if (extra > 0) o[c - 1] = static_cast<u8>(TIFFGetA(v));
    }
    return img;
}

std::string encode_tiff(image_view<const u8> img, int level) {
    std::string out;
    tiff_io io{.src = nullptr, .dst = &out, .size = 0, .pos = 0, .msg = ""};
    const tiff_ptr tif = tiff_open(io, "w", std::uint64_t(1) << 40);
    auto fail = [&] {
        throw io_error(std::string("vecta::codecs::encode: TIFF encoding failed: ") + (io.msg[0] ? io.msg : "libtiff"));
    };
    if (!tif) fail();
    const std::size_t w = img.width(), h = img.height(), c = img.channels();
    TIFF* t = tif.get();
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, std::uint32_t(w));
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, std::uint32_t(h));
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, int(c));
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, c <= 2 ? PHOTOMETRIC_MINISBLACK : PHOTOMETRIC_RGB);
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
    TIFFSetField(t, TIFFTAG_ZIPQUALITY, level);
    TIFFSetField(t, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
    if (c == 2 || c == 4) {
        const std::uint16_t alpha = EXTRASAMPLE_UNASSALPHA;
        TIFFSetField(t, TIFFTAG_EXTRASAMPLES, 1, &alpha);
    }
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize(t, 0));
    // The predictor differences rows in place, so each row goes through a copy.
    std::vector<u8> row(w * c);
    for (std::size_t y = 0; y < h; ++y) {
        std::memcpy(row.data(), img.row(y), row.size());
        if (TIFFWriteScanline(t, row.data(), std::uint32_t(y), 0) < 0) fail();
    }
    if (!TIFFFlush(t)) fail();
    return out;  // TIFFClose (the guard) finds nothing left to write
}

}  // namespace

void internal::corrupt(std::string_view what, format f, std::string_view why) {
    std::string m(what);
    m.append(" is not a decodable ").append(format_name(f)).append(" image: ").append(why);
    throw decode_error(m);
}

void internal::check_size(std::uint64_t w, std::uint64_t h, const decode_params& p, std::string_view what, format f) {
    if (w == 0 || h == 0) corrupt(what, f, "zero width or height");
    if (w > p.max_pixels / h)
        throw decode_error(std::string(what) + " is " + std::to_string(w) + " x " + std::to_string(h) +
                           " pixels, above max_pixels (" + std::to_string(p.max_pixels) + ")");
}

image<u8> internal::with_channels(image<u8>&& img, const decode_params& p) {
    if (p.channels == 0 || std::size_t(p.channels) == img.channels()) return std::move(img);
    image<u8> out(img.width(), img.height(), std::size_t(p.channels));
    io::detail::convert_channels(img.data(), img.channels(), out.data(), out.channels(), img.width() * img.height());
    return out;
}

format sniff(std::span<const unsigned char> b) noexcept {
    static constexpr unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (b.size() >= 8 && std::memcmp(b.data(), png_sig, 8) == 0) return format::png;
    if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return format::jpeg;
    if (b.size() >= 12 && std::memcmp(b.data(), "RIFF", 4) == 0 && std::memcmp(b.data() + 8, "WEBP", 4) == 0)
        return format::webp;
    if (b.size() >= 4 && (std::memcmp(b.data(), "II*\0", 4) == 0 || std::memcmp(b.data(), "MM\0*", 4) == 0))
        return format::tiff;
    return format::other;
}

format format_from_name(std::string_view name) noexcept {
    std::string n;
    for (const char ch : name.substr(name.starts_with('.') ? 1 : 0))
        n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    if (n == "png") return format::png;
    if (n == "jpg" || n == "jpeg" || n == "jpe") return format::jpeg;
    if (n == "webp") return format::webp;
    if (n == "tif" || n == "tiff") return format::tiff;
    return format::other;
}

image<std::uint8_t> decode(std::span<const unsigned char> bytes, const decode_params& p, std::string_view what) {
    constexpr std::string_view fn = "vecta::codecs::decode";
    vecta::detail::require(p.channels >= 0 && p.channels <= 4, fn, "params.channels",
                           "must be 0 (as in the file) or 1..4");
    vecta::detail::require(p.max_pixels >= 1, fn, "params.max_pixels", "must be >= 1");
    if (bytes.empty()) throw decode_error(std::string(what) + " is empty, not an image");
    image<u8> img;
    switch (sniff(bytes)) {
        case format::png: img = decode_png(bytes, p, what); break;
        case format::jpeg: img = decode_jpeg(bytes, p, what); break;
        case format::webp: img = decode_webp(bytes, p, what); break;
        case format::tiff: img = decode_tiff(bytes, p, what); break;
        default:
            if (is_pnm(bytes)) {
                img = decode_pnm(bytes, p, what);
                break;
            }
            try {
                return io::decode_image(bytes, {.channels = p.channels, .max_pixels = p.max_pixels}, what);
            } catch (const decode_error&) {
                throw;
            } catch (const io_error& e) {
                throw decode_error(std::string(what) + " is not a decodable image (" + e.what() + ")");
            }
    }
    return with_channels(std::move(img), p);
}

std::size_t max_input_bytes(const decode_params& p) noexcept { return io::max_input_bytes(p.max_pixels); }

image<std::uint8_t> load(const std::filesystem::path& path, const decode_params& p) {
    const std::vector<unsigned char> bytes = io::read_file(path, max_input_bytes(p));
    return decode(bytes, p, path.string());
}

std::string encode(image_view<const std::uint8_t> img, format fmt, const encode_params& p) {
    constexpr std::string_view fn = "vecta::codecs::encode";
    vecta::detail::check_image(img, fn, "img");
    vecta::detail::require(img.channels() <= 4, fn, "img", "must have 1 to 4 channels");
    vecta::detail::require(p.quality >= 1 && p.quality <= 100, fn, "params.quality", "must be in 1..100");
    vecta::detail::require(p.compression >= -1 && p.compression <= 9, fn, "params.compression", "must be in -1..9");
    const std::size_t w = img.width(), h = img.height();
    const int level = p.compression < 0 ? 6 : p.compression;
    switch (fmt) {
        case format::png:
            vecta::detail::require(w <= 0x7fffffffu && h <= 0x7fffffffu && w * img.channels() < 0x7fffffffu, fn, "img",
                                   "is too large for PNG (2^31 - 1 pixels per side, rows below 2 GiB)");
            return encode_png(img, level, p.png_filters);
        case format::jpeg:
            vecta::detail::require(w <= 65535 && h <= 65535, fn, "img", "must be at most 65535 x 65535 for JPEG");
            return encode_jpeg(img, p.quality);
        case format::webp:
            vecta::detail::require(w <= 16383 && h <= 16383, fn, "img", "must be at most 16383 x 16383 for WebP");
            return encode_webp(img, p.quality, p.lossless);
        case format::tiff:
            vecta::detail::require(w <= 0xffffffffu && h <= 0xffffffffu && w * img.channels() < 0x7fffffffu, fn, "img",
                                   "is too large for TIFF (rows below 2 GiB)");
            return encode_tiff(img, std::max(level, 1));
        default: vecta::detail::throw_invalid(fn, "format", "must be png, jpeg, webp or tiff");
    }
}

void save(const std::filesystem::path& path, image_view<const std::uint8_t> img, const encode_params& p) {
    const format f = format_from_name(path.extension().string());
    if (f == format::other)
        vecta::detail::throw_invalid("vecta::codecs::save", "path",
                                     "must end in .png, .jpg, .jpeg, .webp, .tif or .tiff");
    io::write_file_atomic(path, encode(img, f, p));
}

}  // namespace vecta::codecs
