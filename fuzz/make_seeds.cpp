// SPDX-License-Identifier: MIT
// fuzz/make_seeds.cpp - writes seed corpora for the fuzz targets, derived from the shared data
// (Bloom filters of real word lists, frame rings of icon rows, small crops of icons as kernel and
// vectorize inputs, and small image files of every format stb_image reads for fuzz_decode: line
// art and icons as they are, photos shrunk to 24 x 16 and written as PNG, JPEG, BMP, TGA (raw and
// RLE), Radiance HDR (stb_image_write), PPM/PGM, GIF and PSD (by hand, below)).
// Usage: fuzz_make_seeds OUT_DIR DATA_DIR
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vecta/io/image_file.hpp>
#include <vecta/structures/bloom_filter.hpp>
#include <vecta/structures/frame_ring.hpp>
#include <vecta/structures/split_block_bloom_filter.hpp>

namespace fs = std::filesystem;

namespace {

void write(const fs::path& dir, const std::string& name, std::uint8_t prefix, const void* data, std::size_t n,
           int suffix = -1) {
    fs::create_directories(dir);
    std::ofstream out(dir / name, std::ios::binary);
    out.put(static_cast<char>(prefix));
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(n));
    if (suffix >= 0) out.put(static_cast<char>(suffix));
}

void append_sink(void* ctx, void* data, int size) {
    static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

void put16(std::string& s, unsigned v, bool big) {
    if (big)
        s += {char(v >> 8), char(v & 0xFF)};
    else
        s += {char(v & 0xFF), char(v >> 8)};
}

/// A one-frame GIF with a 4-entry grey palette; LZW codes of 3 bits with a clear code before
/// every second pixel, so the code size never grows.
std::string gif(const vecta::image<std::uint8_t>& g) {
    std::string s = "GIF89a";
    put16(s, unsigned(g.width()), false);
    put16(s, unsigned(g.height()), false);
    s += {char(0x81), 0, 0};
    for (int i = 0; i < 4; ++i) s += {char(85 * i), char(85 * i), char(85 * i)};
    s += ',';
    put16(s, 0, false);
    put16(s, 0, false);
    put16(s, unsigned(g.width()), false);
    put16(s, unsigned(g.height()), false);
    s += {0, 2};
    std::string codes;
    unsigned bits = 0, nbits = 0;
    auto put = [&](unsigned code) {
        bits |= code << nbits;
        nbits += 3;
        while (nbits >= 8) {
            codes += char(bits & 0xFF);
            bits >>= 8;
            nbits -= 8;
        }
    };
    for (std::size_t i = 0; i < g.size(); ++i) {
        if (i % 2 == 0) put(4);
        put(g.data()[i] / 64u);
    }
    put(5);
    if (nbits) codes += char(bits & 0xFF);
    for (std::size_t i = 0; i < codes.size(); i += 255) {
        const std::string chunk = codes.substr(i, 255);
        s += char(chunk.size());
        s += chunk;
    }
    s += {0, ';'};
    return s;
}

/// An uncompressed 3-channel PSD.
std::string psd(const vecta::image<std::uint8_t>& rgb) {
    std::string s = "8BPS";
    put16(s, 1, true);
    s.append(6, '\0');
    put16(s, 3, true);
    s += {0, 0};
    put16(s, unsigned(rgb.height()), true);
    s += {0, 0};
    put16(s, unsigned(rgb.width()), true);
    put16(s, 8, true);
    put16(s, 3, true);
    s.append(12, '\0');  // colour mode data, image resources, layer and mask info: empty
    put16(s, 0, true);   // raw
    for (std::size_t c = 0; c < 3; ++c)
        for (std::size_t i = 0; i < rgb.width() * rgb.height(); ++i) s += char(rgb.data()[i * 3 + c]);
    return s;
}

/// Radiance HDR, flat (uncompressed) RGBE pixels.
std::string hdr(const vecta::image<std::uint8_t>& rgb) {
    std::string s = "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y " + std::to_string(rgb.height()) + " +X " +
                    std::to_string(rgb.width()) + "\n";
    for (std::size_t p = 0; p < rgb.width() * rgb.height(); ++p) {
        const std::uint8_t* v = rgb.data() + p * 3;
        const double m = std::max({v[0], v[1], v[2]}) / 255.0;
        if (m < 1e-32) {
            s.append(4, '\0');
            continue;
        }
        int e = 0;
        const double f = std::frexp(m, &e) * 256.0 / m;
        for (int c = 0; c < 3; ++c) s += char(static_cast<unsigned char>(v[c] / 255.0 * f));
        s += char(e + 128);
    }
    return s;
}

/// Binary PPM (3 channels) or PGM (1 channel).
std::string pnm(const vecta::image<std::uint8_t>& img) {
    std::string s = img.channels() == 3 ? "P6\n" : "P5\n";
    s += std::to_string(img.width()) + " " + std::to_string(img.height()) + "\n255\n";
    s.append(reinterpret_cast<const char*>(img.data()), img.size());
    return s;
}

/// Every 4th pixel of a centred 64 x 64 window (or less), as a rough downscale.
vecta::image<std::uint8_t> shrink(const vecta::image<std::uint8_t>& img, std::size_t w, std::size_t h) {
    vecta::image<std::uint8_t> out(w, h, img.channels());
    const std::size_t sx = std::max<std::size_t>(1, img.width() / w), sy = std::max<std::size_t>(1, img.height() / h);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x)
            for (std::size_t c = 0; c < img.channels(); ++c)
                out(x, y, c) = img(std::min(x * sx, img.width() - 1), std::min(y * sy, img.height() - 1), c);
    return out;
}

std::vector<std::string> words(const fs::path& file, std::size_t n) {
    std::vector<std::string> out;
    std::ifstream in(file);
    for (std::string w; out.size() < n && std::getline(in, w);) out.push_back(w);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: fuzz_make_seeds OUT_DIR DATA_DIR\n";
        return 2;
    }
    const fs::path out = argv[1], data = argv[2];
    auto keys = words(data / "words" / "keys_american-english.txt", 200);
    for (std::size_t k = keys.size(); k < 200; ++k) keys.push_back("key" + std::to_string(k * 7919));  // no data

    // Bloom filters: classic (mode bit 0 clear) and split-block (set), several shapes, filled with
    // words; one with a non-zero seed (mode bit 2: the target loads it with the recorded seed).
    int i = 0;
    for (std::uint64_t bits : {64ull, 320ull, 1024ull, 4096ull}) {
        for (std::uint32_t k : {1u, 3u, 7u}) {
            vecta::bloom_filter f(vecta::bloom_shape{.bits = bits, .hashes = k},
                                  vecta::murmur3_hasher{k == 7 ? 7u : 0u});
            for (std::size_t j = 0; j < keys.size() * bits / 4096; ++j) f.insert(std::string_view(keys[j]));
            const auto b = f.to_bytes();
            write(out / "bloom", "classic-" + std::to_string(i++), k == 7 ? 4 : 0, b.data(), b.size());
        }
        vecta::split_block_bloom_filter s(vecta::bloom_shape{.bits = bits < 256 ? 256 : bits, .hashes = 8});
        for (std::size_t j = 0; j < keys.size() * bits / 4096; ++j) s.insert(std::string_view(keys[j]));
        const auto b = s.to_bytes();
        write(out / "bloom", "split-" + std::to_string(i++), 1, b.data(), b.size());
    }

    // Frame rings: small memories pushed past wrap-around, with the push-control byte at the end.
    i = 0;
    for (std::size_t mem : {160u, 200u, 512u, 2048u}) {
        for (std::size_t frames : {0u, 1u, 5u, 40u}) {
            std::vector<std::uint64_t> storage(mem / 8);
            std::span<std::byte> m(reinterpret_cast<std::byte*>(storage.data()), mem);
            vecta::frame_ring r(m);
            for (std::size_t f = 0; f < frames; ++f) {
                const std::size_t n = (f * 37 + mem) % (r.max_frame_bytes() + 1) / (f % 3 + 1);
                const std::string payload = keys.empty() ? std::string(n, 'x') : keys[f % keys.size()].substr(0, n);
                r.push(1000 + f * 10, std::as_bytes(std::span(payload)));
            }
            fs::create_directories(out / "frame_ring");
            std::ofstream o(out / "frame_ring" / ("ring-" + std::to_string(i++)), std::ios::binary);
            o.write(reinterpret_cast<const char*>(m.data()), static_cast<std::streamsize>(m.size()));
            o.put(static_cast<char>(frames % 256));
        }
    }

    // Image files for fuzz_decode (first byte: the target's control byte).
    i = 0;
    for (const char* dir : {"lineart", "icons"}) {
        if (!fs::exists(data / dir)) continue;
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(data / dir))
            if (e.path().extension() == ".png") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (std::size_t f = 0; f < files.size() && f < 8; ++f, ++i) {
            const auto b = vecta::io::read_file(files[f]);
            write(out / "decode", std::string(dir) + "-" + std::to_string(f) + ".png", std::uint8_t(i % 5), b.data(),
                  b.size());
        }
    }
    {
        std::vector<fs::path> files;
        if (fs::exists(data / "photos"))
            for (const auto& e : fs::directory_iterator(data / "photos"))
                if (e.path().extension() == ".png") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        files.resize(std::min<std::size_t>(files.size(), 3));
        files.emplace_back();  // and a synthetic gradient, so that every format has a seed without data
        for (std::size_t f = 0; f < files.size(); ++f) {
            vecta::image<std::uint8_t> rgb(24, 16, 3);
            if (files[f].empty()) {
                for (std::size_t y = 0; y < 16; ++y)
                    for (std::size_t x = 0; x < 24; ++x)
                        for (std::size_t c = 0; c < 3; ++c) rgb(x, y, c) = std::uint8_t(x * 10 + y * 7 * c);
            } else {
                rgb = shrink(vecta::io::load_image(files[f], {.channels = 3}), 24, 16);
            }
            vecta::image<std::uint8_t> grey(24, 16, 1);
            for (std::size_t p = 0; p < grey.size(); ++p) grey.data()[p] = rgb.data()[p * 3 + 1];
            const int w = 24, h = 16;
            std::map<std::string, std::string> enc;
            enc["png"] = vecta::io::encode_image(rgb.view(), vecta::io::image_format::png);
            enc["grey.png"] = vecta::io::encode_image(grey.view(), vecta::io::image_format::png);
            enc["jpg"] = vecta::io::encode_image(rgb.view(), vecta::io::image_format::jpeg, 80);
            enc["grey.jpg"] = vecta::io::encode_image(grey.view(), vecta::io::image_format::jpeg, 30);
            stbi_write_bmp_to_func(append_sink, &enc["bmp"], w, h, 3, rgb.data());
            stbi_write_tga_with_rle = 0;
            stbi_write_tga_to_func(append_sink, &enc["tga"], w, h, 3, rgb.data());
            stbi_write_tga_with_rle = 1;
            stbi_write_tga_to_func(append_sink, &enc["rle.tga"], w, h, 3, rgb.data());
            stbi_write_tga_to_func(append_sink, &enc["grey.rle.tga"], w, h, 1, grey.data());
            enc["hdr"] = hdr(rgb);
            enc["ppm"] = pnm(rgb);
            enc["pgm"] = pnm(grey);
            enc["gif"] = gif(grey);
            enc["psd"] = psd(rgb);
            for (const auto& [ext, b] : enc)
                write(out / "decode", (files[f].empty() ? "synthetic" : "photo" + std::to_string(f)) + "." + ext,
                      std::uint8_t((f + ext.size()) % 5), b.data(), b.size());
        }
    }

    // Regressions (fuzz_decode findings, synthetic): a JPEG whose Huffman table declares 512
    // codes, and a 16-bit PGM loaded with a channel conversion (control byte 4: RGBA).
    {
        vecta::image<std::uint8_t> g(8, 8, 3, 128);
        std::string jpg = vecta::io::encode_image(g.view(), vecta::io::image_format::jpeg, 50);
        const std::size_t dht = jpg.find("\xff\xc4");
        for (std::size_t k = 0; dht != std::string::npos && k < 16; ++k) jpg[dht + 5 + k] = char(0x20);
        write(out / "decode", "regress-dht.jpg", 0, jpg.data(), jpg.size());
        const std::string pgm = std::string("P5\n2 2\n65535\n") + std::string(8, '\x7f');
        write(out / "decode", "regress-pnm16.pgm", 4, pgm.data(), pgm.size());
    }

    // Kernel and vectorize inputs: crops of icons and line art, as raw pixel bytes.
    i = 0;
    for (const char* dir : {"icons", "lineart"}) {
        if (!fs::exists(data / dir)) continue;
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(data / dir))
            if (e.path().extension() == ".png") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (std::size_t f = 0; f < files.size() && f < 12; ++f) {
            const auto img = vecta::io::decode_image(vecta::io::read_file(files[f]), {.channels = 3});
            // A 16 x 16 crop around the centre, every 4th pixel (a rough downscale).
            std::vector<std::uint8_t> crop;
            for (std::size_t y = img.height() / 2 - 32; y < img.height() / 2 + 32; y += 4)
                for (std::size_t x = img.width() / 2 - 32; x < img.width() / 2 + 32; x += 4)
                    for (std::size_t c = 0; c < 3; ++c) crop.push_back(img(x, y, c));
            write(out / "vectorize", "crop-" + std::to_string(i), 0, crop.data(), crop.size());
            for (std::uint8_t sel = 0; sel < 11; ++sel)
                write(out / "kernels", "crop-" + std::to_string(i) + "-" + std::to_string(sel), sel, crop.data(),
                      crop.size());
            ++i;
        }
    }
    if (i == 0) {  // no shared data: checkerboards and gradients
        for (int v = 0; v < 4; ++v) {
            std::vector<std::uint8_t> crop(16 * 16 * 3);
            for (std::size_t p = 0; p < crop.size(); ++p)
                crop[p] = std::uint8_t(v % 2 ? ((p / 3 + p / 48) % 2) * 255 : (p * std::size_t(v + 1)) % 256);
            write(out / "vectorize", "synthetic-" + std::to_string(v), 0, crop.data(), crop.size());
            for (std::uint8_t sel = 0; sel < 11; ++sel)
                write(out / "kernels", "synthetic-" + std::to_string(v) + "-" + std::to_string(sel), sel, crop.data(),
                      crop.size());
        }
    }
    std::cout << "seeds written to " << out << "\n";
    return 0;
}
