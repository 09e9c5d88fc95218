// SPDX-License-Identifier: MIT
// fuzz/fuzz_svg.cpp - SVG output: path_builder with random commands, coordinates (NaN, infinity,
// huge values included) and precisions, parsed back (every absolute position must be the input
// rounded to the precision, exactly); document::add_path with arbitrary path data (must refuse
// anything that could break out of the attribute: quotes, '<', '&'); the document stays
// well-formed.
#include <cmath>
#include <optional>
#include <string>
#include <vecta/svg/document.hpp>
#include <vecta/svg/path_builder.hpp>

#include "fuzz_support.hpp"

namespace {

struct item {
    bool close = false;
    long long x = 0, y = 0;
    friend bool operator==(const item&, const item&) = default;
};

// Parses path data as path_builder writes it (relative m, l, h, v, c, z; numbers -?d*(.d+)?)
// into absolute fixed-point positions (units of 10^-precision).
std::optional<std::vector<item>> parse(const std::string& d, int precision) {
    std::vector<item> out;
    std::size_t i = 0;
    char cmd = 0;
    long long cx = 0, cy = 0, sx = 0, sy = 0;
    long long scale = 1;
    for (int k = 0; k < precision; ++k) scale *= 10;
    auto number = [&](long long& v) -> bool {
        while (i < d.size() && d[i] == ' ') ++i;
        bool neg = false;
        if (i < d.size() && d[i] == '-') {
            neg = true;
            ++i;
        }
        const std::size_t start = i;
        long long ip = 0, fp = 0;
        int fd = 0;
        while (i < d.size() && d[i] >= '0' && d[i] <= '9') ip = ip * 10 + (d[i++] - '0');
        if (i < d.size() && d[i] == '.') {
            ++i;
            while (i < d.size() && d[i] >= '0' && d[i] <= '9') {
                fp = fp * 10 + (d[i++] - '0');
                if (++fd > precision) return false;
            }
            if (fd == 0) return false;
        }
        if (i == start) return false;
        for (int k = fd; k < precision; ++k) fp *= 10;
        v = ip * scale + fp;
        if (neg) v = -v;
        return true;
    };
    while (i < d.size()) {
        const char ch = d[i];
        if (ch == 'm' || ch == 'l' || ch == 'h' || ch == 'v' || ch == 'c' || ch == 'z') {
            cmd = ch;
            ++i;
            if (ch == 'z') {
                out.push_back({true, 0, 0});
                cx = sx;
                cy = sy;
            }
            continue;
        }
        long long a = 0, b = 0;
        switch (cmd) {
            case 'm':
                if (!number(a) || !number(b)) return std::nullopt;
                cx += a;
                cy += b;
                sx = cx;
                sy = cy;
                out.push_back({false, cx, cy});
                cmd = 'l';
                break;
            case 'l':
                if (!number(a) || !number(b)) return std::nullopt;
                cx += a;
                cy += b;
                out.push_back({false, cx, cy});
                break;
            case 'h':
                if (!number(a)) return std::nullopt;
                cx += a;
                out.push_back({false, cx, cy});
                break;
            case 'v':
                if (!number(a)) return std::nullopt;
                cy += a;
                out.push_back({false, cx, cy});
                break;
            case 'c': {
                long long v[6];
                for (auto& e : v)
                    if (!number(e)) return std::nullopt;
                out.push_back({false, cx + v[0], cy + v[1]});
                out.push_back({false, cx + v[2], cy + v[3]});
                cx += v[4];
                cy += v[5];
                out.push_back({false, cx, cy});
                break;
            }
            default: return std::nullopt;  // a number before any command, or after z
        }
    }
    return out;
}

double coordinate(FuzzedDataProvider& fdp) {
    switch (fdp.ConsumeIntegralInRange<int>(0, 3)) {
        case 0: return fdp.ConsumeFloatingPoint<double>();  // anything, NaN and infinities included
        case 1: return double(fdp.ConsumeIntegralInRange<int>(-300, 300)) / 8.0;
        case 2: return fdp.ConsumeFloatingPointInRange<double>(-1e12, 1e12);
        default: return double(fdp.ConsumeIntegralInRange<int>(-100000, 100000)) * 1e-4;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vecta_fuzz;
    FuzzedDataProvider fdp(data, size);
    const int precision = fdp.ConsumeIntegralInRange<int>(-1, 7);
    std::optional<vecta::svg::path_builder> b;
    try {
        b.emplace(precision);
        check(precision >= 0 && precision <= 6, "path_builder accepted a bad precision");
    } catch (const vecta::invalid_argument& e) {
        check_message(e);
        check(std::string_view(e.what()).find("precision") != std::string_view::npos, "error does not name precision");
        return 0;
    }
    const double scale = std::pow(10.0, precision);
    auto q = [&](double v) { return std::llround(v * scale); };
    std::vector<item> expected;
    long long cx = 0, cy = 0, sx = 0, sy = 0;
    const int ops = fdp.ConsumeIntegralInRange<int>(0, 64);
    for (int k = 0; k < ops && fdp.remaining_bytes() > 0; ++k) {
        const int op = fdp.ConsumeIntegralInRange<int>(0, 3);
        double v[6];
        const int nv = op == 0 || op == 1 ? 2 : op == 2 ? 6 : 0;
        bool finite = true;
        for (int j = 0; j < nv; ++j) {
            v[j] = coordinate(fdp);
            finite = finite && std::isfinite(v[j]) && std::abs(v[j]) <= 1e12;
        }
        try {
            if (op == 0) {
                b->move_to(v[0], v[1]);
                cx = sx = q(v[0]);
                cy = sy = q(v[1]);
                expected.push_back({false, cx, cy});
            } else if (op == 1) {
                b->line_to(v[0], v[1]);
                if (q(v[0]) != cx || q(v[1]) != cy) {
                    cx = q(v[0]);
                    cy = q(v[1]);
                    expected.push_back({false, cx, cy});
                }
            } else if (op == 2) {
                b->cubic_to(v[0], v[1], v[2], v[3], v[4], v[5]);
                expected.push_back({false, q(v[0]), q(v[1])});
                expected.push_back({false, q(v[2]), q(v[3])});
                cx = q(v[4]);
                cy = q(v[5]);
                expected.push_back({false, cx, cy});
            } else {
                b->close();
                expected.push_back({true, 0, 0});
                cx = sx;
                cy = sy;
            }
            check(finite, "path_builder accepted a non-finite or huge coordinate");
        } catch (const vecta::invalid_argument& e) {
            check_message(e);
            check(!finite, "path_builder refused a finite coordinate");
        }
    }
    const std::string& d = b->str();
    const auto parsed = parse(d, precision);
    if (!parsed) {
        std::fprintf(stderr, "d=%s\n", d.c_str());
        fail("path data does not parse");
    }
    if (*parsed != expected) {
        std::fprintf(stderr, "d=%s\n", d.c_str());
        fail("path data does not reproduce the rounded positions");
    }

    vecta::svg::document doc(1 + fdp.ConsumeIntegralInRange<std::size_t>(0, 5000),
                             1 + fdp.ConsumeIntegralInRange<std::size_t>(0, 5000));
    const vecta::svg::rgb fill{fdp.ConsumeIntegral<std::uint8_t>(), fdp.ConsumeIntegral<std::uint8_t>(),
                               fdp.ConsumeIntegral<std::uint8_t>()};
    doc.add_background(fill);
    doc.add_path(d, fill);  // builder output is always accepted
    const std::string junk = fdp.ConsumeRemainingBytesAsString();
    try {
        doc.add_path(junk, fill);
    } catch (const vecta::invalid_argument& e) {
        check_message(e);
        check(std::string_view(e.what()).find(" d ") != std::string_view::npos, "error does not name d");
        check(junk.find_first_of("\"<>&'") != std::string::npos || junk.find('\0') != std::string::npos ||
                  junk.find_first_not_of("MmZzLlHhVvCcSsQqTtAa0123456789+-.eE ,\t\n\r") != std::string::npos,
              "add_path refused valid path data");
    }
    const std::string svg = doc.str();
    // Well-formed enough: every '<' opens a known element, quotes pair up, nothing else injects.
    std::size_t quotes = 0;
    for (std::size_t i = 0; i < svg.size(); ++i) {
        if (svg[i] == '"') ++quotes;
        if (svg[i] == '<') {
            const std::string_view rest = std::string_view(svg).substr(i);
            check(rest.starts_with("<svg ") || rest.starts_with("<path ") || rest.starts_with("<rect ") ||
                      rest.starts_with("</svg>"),
                  "unexpected '<' in the document");
        }
        check(svg[i] != '&' && svg[i] != '\0', "unescaped '&' or NUL in the document");
    }
    check(quotes % 2 == 0, "unbalanced quotes in the document");
    check(svg.ends_with("</svg>\n"), "document does not end with </svg>");
    return 0;
}
