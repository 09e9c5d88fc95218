// SPDX-License-Identifier: MIT
#include <cstdio>
#include <vecta/vecta.hpp>

int main() {
    vecta::image<unsigned char> im(8, 8, 3, 200);
    const auto r = vecta::vectorize(vecta::par, im.view(), {.colors = 2});
    std::printf("consumer: %zu bytes of SVG\n", r.stats.bytes);
    return r.document.find("<svg") == std::string::npos ? 1 : 0;
}
