// SPDX-License-Identifier: MIT
#include "npy.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <vecta/core/error.hpp>

namespace vecta::cli {
namespace {

/// A cursor over the header dict with the few Python literal forms .npy headers use.
class header_parser {
public:
    header_parser(std::string_view text, const std::string& what) : s_(text), what_(what) {}
    [[noreturn]] void fail(const std::string& why) const {
        throw vecta::io_error("'" + what_ + "': not a float32 .npy matrix: " + why);
    }
    void skip_space() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }
    bool accept(char c) {
        skip_space();
        if (pos_ < s_.size() && s_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    void expect(char c) {
        if (!accept(c)) fail(std::string("header: expected '") + c + "' at byte " + std::to_string(pos_));
    }
    std::string string_literal() {
        skip_space();
        if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) fail("header: expected a string");
        const char quote = s_[pos_++];
        const std::size_t start = pos_;
        while (pos_ < s_.size() && s_[pos_] != quote) {
            if (s_[pos_] == '\\') fail("header: escapes are not supported");
            ++pos_;
        }
        if (pos_ >= s_.size()) fail("header: unterminated string");
        return std::string(s_.substr(start, pos_++ - start));
    }
    bool boolean() {
        skip_space();
        for (const auto& [word, value] :
             {std::pair{std::string_view("True"), true}, std::pair{std::string_view("False"), false}})
            if (s_.substr(pos_, word.size()) == word) {
                pos_ += word.size();
                return value;
            }
        fail("header: fortran_order must be True or False");
    }
    std::uint64_t integer() {
        skip_space();
        std::uint64_t v = 0;
        const std::size_t start = pos_;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
            if (v > (std::uint64_t(1) << 40)) fail("header: a dimension is too large");
            v = v * 10 + std::uint64_t(s_[pos_++] - '0');
        }
        if (pos_ == start) fail("header: expected a dimension");
        if (pos_ < s_.size() && s_[pos_] == 'L') ++pos_;  // Python 2 long suffix
        return v;
    }
    std::vector<std::uint64_t> tuple() {
        expect('(');
        std::vector<std::uint64_t> dims;
        while (!accept(')')) {
            if (dims.size() == 8) fail("header: too many dimensions");
            dims.push_back(integer());
            if (!accept(',')) {
                expect(')');
                break;
            }
        }
        return dims;
    }
    bool at_end() {
        skip_space();
        return pos_ == s_.size();
    }

private:
    std::string_view s_;
    std::size_t pos_ = 0;
    const std::string& what_;
};

}  // namespace

npy_matrix parse_npy(std::span<const unsigned char> b, const std::string& what) {
    header_parser fail_only({}, what);
    static constexpr unsigned char magic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
    if (b.size() < 10 || std::memcmp(b.data(), magic, sizeof magic) != 0) fail_only.fail("no .npy magic");
    const unsigned major = b[6];
    std::size_t header_len, offset;
    if (major == 1) {
        header_len = std::size_t(b[8]) | std::size_t(b[9]) << 8;
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (b.size() < 12) fail_only.fail("truncated header");
        header_len = std::size_t(b[8]) | std::size_t(b[9]) << 8 | std::size_t(b[10]) << 16 | std::size_t(b[11]) << 24;
        offset = 12;
    } else {
        fail_only.fail("unsupported format version " + std::to_string(major));
    }
    if (header_len > 65536) fail_only.fail("header longer than 65536 bytes");
    if (header_len > b.size() - offset) fail_only.fail("truncated header");
    const std::string_view text(reinterpret_cast<const char*>(b.data() + offset), header_len);
    header_parser p(text, what);
    std::optional<std::string> descr;
    std::optional<bool> fortran;
    std::optional<std::vector<std::uint64_t>> shape;
    p.expect('{');
    while (!p.accept('}')) {
        const std::string key = p.string_literal();
        p.expect(':');
        if (key == "descr" && !descr)
            descr = p.string_literal();
        else if (key == "fortran_order" && !fortran)
            fortran = p.boolean();
        else if (key == "shape" && !shape)
            shape = p.tuple();
        else
            p.fail("header: unexpected or repeated key '" + key + "'");
        if (!p.accept(',')) {
            p.expect('}');
            break;
        }
    }
    if (!p.at_end()) p.fail("header: text after the dict");
    if (!descr || !fortran || !shape) p.fail("header: needs descr, fortran_order and shape");
    if (*descr != "<f4" && *descr != ">f4") p.fail("dtype '" + *descr + "' (float32, '<f4', is needed)");
    if (shape->empty() || shape->size() > 2) p.fail(std::to_string(shape->size()) + " dimensions (1 or 2 are read)");
    const std::uint64_t rows = shape->size() == 2 ? (*shape)[0] : 1, cols = shape->back();
    if (rows == 0 || cols == 0) p.fail("empty array");
    if (rows > (std::uint64_t(1) << 40) / cols) p.fail("array too large");
    const std::uint64_t count = rows * cols;
    const std::size_t data_bytes = b.size() - offset - header_len;
    if (count * 4 != data_bytes)
        p.fail("shape needs " + std::to_string(count * 4) + " data bytes, the file has " + std::to_string(data_bytes));
    const bool swap = (*descr == ">f4") != (std::endian::native == std::endian::big);
    npy_matrix m;
    m.rows = std::size_t(rows);
    m.cols = std::size_t(cols);
    m.data.resize(std::size_t(count));
    const unsigned char* src = b.data() + offset + header_len;
    for (std::size_t i = 0; i < m.data.size(); ++i) {
        unsigned char v[4];
        std::memcpy(v, src + 4 * i, 4);
        if (swap) std::swap(v[0], v[3]), std::swap(v[1], v[2]);
        float f;
        std::memcpy(&f, v, 4);
        if (!std::isfinite(f)) p.fail("value " + std::to_string(i) + " is not finite");
        // Fortran order: element (r, c) is at c * rows + r.
        const std::size_t dst = *fortran ? (i % m.rows) * m.cols + i / m.rows : i;
        m.data[dst] = f;
    }
    return m;
}

}  // namespace vecta::cli
