// SPDX-License-Identifier: MIT
// stb_image and stb_image_write compiled once for the test programs that link vecta_test_once
// (tests/CMakeLists.txt): they define VECTA_STB_EXTERNAL, so vecta/io/stb.hpp only declares stb's
// functions there instead of compiling private copies in every translation unit (about 7 CPU-s
// each under the sanitizers). The same configuration as vecta/io/stb.hpp's, without the STATIC
// macros; the io tests keep the default (private copies).
#define STB_IMAGE_IMPLEMENTATION
#define STBI_FAILURE_USERMSG
#include <stb_image.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb_image_write.h>
