// SPDX-License-Identifier: MIT
// vecta/adapters/cairo.hpp - traced paths as PDF and EPS through cairo.
//
// Compiled only when VECTA_WITH_CAIRO is 1 (CMake: -DVECTA_WITH_CAIRO=ON, on by default when
// pkg-config finds cairo, and the target vecta::cairo, which links cairo); otherwise this header
// is empty. The geometry is vectorize's (vectorize_result::paths with params.keep_paths = true),
// the same that the SVG is written from: one page of width x height points (one pixel is one
// point, 1/72 inch; `pdftoppm -r 72` renders it back at the image's size), the paths drawn in
// paint order with their colours, opacity and fill rule (nonzero for colour and binary mode,
// even-odd for centerline fills), strokes with round caps and joins.
#pragma once

#if defined(VECTA_WITH_CAIRO) && VECTA_WITH_CAIRO

#include <cairo-pdf.h>
#include <cairo-ps.h>
#include <cairo.h>

#include <cstddef>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>

#include "../core/error.hpp"
#include "../geometry/vector_paths.hpp"

namespace vecta::cairo {

/// Draws `paths` on a cairo context whose user units are pixels (y down, as vectorize writes
/// them), later paths on top. The context's state is saved and restored. O(commands).
/// Throws vecta::invalid_argument naming "paths" when they are malformed (check_vector_paths)
/// and "cr" when it is null or in an error state.
inline void draw(cairo_t* cr, const vector_paths& paths) {
    constexpr std::string_view fn = "vecta::cairo::draw";
    vecta::detail::require(cr != nullptr && cairo_status(cr) == CAIRO_STATUS_SUCCESS, fn, "cr",
                           "must be a cairo context without error");
    vecta::detail::check_vector_paths(paths, fn, "paths");
    cairo_save(cr);
    for (const vector_path& p : paths.paths) {
        cairo_new_path(cr);
        std::size_t k = 0;
        for (const path_op op : p.ops) {
            switch (op) {
                case path_op::move: cairo_move_to(cr, p.points[k].x, p.points[k].y), k += 1; break;
                case path_op::line: cairo_line_to(cr, p.points[k].x, p.points[k].y), k += 1; break;
                case path_op::cubic:
                    cairo_curve_to(cr, p.points[k].x, p.points[k].y, p.points[k + 1].x, p.points[k + 1].y,
                                   p.points[k + 2].x, p.points[k + 2].y);
                    k += 3;
                    break;
                case path_op::close: cairo_close_path(cr); break;
            }
        }
        cairo_set_source_rgba(cr, p.color[0] / 255.0, p.color[1] / 255.0, p.color[2] / 255.0, p.opacity);
        if (p.stroke_width > 0) {
            cairo_set_line_width(cr, p.stroke_width);
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            cairo_stroke(cr);
        } else {
            cairo_set_fill_rule(cr, p.rule == fill_rule::evenodd ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING);
            cairo_fill(cr);
        }
    }
    cairo_restore(cr);
}

namespace detail {

inline cairo_status_t write_to_ostream(void* closure, const unsigned char* data, unsigned int length) noexcept {
    try {
        auto& out = *static_cast<std::ostream*>(closure);
        out.write(reinterpret_cast<const char*>(data), std::streamsize(length));
        return out ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
    } catch (...) {
        return CAIRO_STATUS_WRITE_ERROR;
    }
}

enum class page_format { pdf, eps };

/// Sets the bounding box comments of cairo's EPS (which bound the ink) to the page, 0 0 w h.
inline void eps_page_box(std::string& eps, std::size_t w, std::size_t h) {
    const std::string box = "0 0 " + std::to_string(w) + " " + std::to_string(h);
    for (const std::string_view key : {"%%BoundingBox:", "%%PageBoundingBox:"}) {
        const std::size_t at = eps.find(key);
        if (at == std::string::npos) continue;
        const std::size_t from = at + key.size(), end = eps.find('\n', from);
        eps.replace(from, (end == std::string::npos ? eps.size() : end) - from, " " + box);
    }
}

inline void write_page(const vector_paths& paths, std::ostream& final_out, page_format format, std::string_view fn) {
    vecta::detail::check_vector_paths(paths, fn, "paths");
    const double w = double(paths.width), h = double(paths.height);
    std::ostringstream eps;  // EPS: its bounding box is set to the page afterwards
    std::ostream& out = format == page_format::eps ? eps : final_out;
    cairo_surface_t* surface = format == page_format::pdf
                                   ? cairo_pdf_surface_create_for_stream(write_to_ostream, &out, w, h)
                                   : cairo_ps_surface_create_for_stream(write_to_ostream, &out, w, h);
    if (format == page_format::eps) cairo_ps_surface_set_eps(surface, 1);
    if (format == page_format::pdf) cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "vecta");
    cairo_t* cr = cairo_create(surface);
    cairo_rectangle(cr, 0, 0, w, h);  // outlines pushed past the frame (vectorize) end at the page
    cairo_clip(cr);
    try {
        draw(cr, paths);
    } catch (...) {
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
        throw;
    }
    cairo_show_page(cr);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);  // writes the file's end
    if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS)
        throw io_error(std::string(fn) + ": cairo failed: " + cairo_status_to_string(status));
    if (format == page_format::eps) {
        std::string text = std::move(eps).str();
        eps_page_box(text, paths.width, paths.height);
        final_out.write(text.data(), std::streamsize(text.size()));
        if (!final_out) throw io_error(std::string(fn) + ": writing to the output stream failed");
    }
}

}  // namespace detail

/// Writes `paths` as a one-page PDF of width x height points (1 pixel = 1 point) to `out`,
/// drawn by draw() and clipped to the page. Output size: O(commands). Throws vecta::invalid_argument naming "paths"
/// when they are malformed (e.g. empty: vectorize without params.keep_paths), vecta::io_error
/// when cairo or the stream fails.
inline void write_pdf(const vector_paths& paths, std::ostream& out) {
    detail::write_page(paths, out, detail::page_format::pdf, "vecta::cairo::write_pdf");
}

/// Writes `paths` as Encapsulated PostScript (EPSF-3.0, PostScript level 2 as cairo writes it,
/// %%BoundingBox 0 0 width height in points, 1 pixel = 1 point) to `out`, drawn by draw() and
/// clipped to the page. Errors as write_pdf.
inline void write_eps(const vector_paths& paths, std::ostream& out) {
    detail::write_page(paths, out, detail::page_format::eps, "vecta::cairo::write_eps");
}

}  // namespace vecta::cairo

#endif
