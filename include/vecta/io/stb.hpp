// SPDX-License-Identifier: MIT
// vecta/io/stb.hpp - stb_image and stb_image_write, compiled as internal functions.
//
// vecta is header-only, so it compiles stb's implementation with STB_IMAGE_STATIC and
// STB_IMAGE_WRITE_STATIC: every translation unit that includes vecta/io gets private (static)
// copies, and a program may include vecta/io from any number of translation units without
// duplicate symbols. A program that already compiles stb itself (one .c/.cpp with
// STB_IMAGE_IMPLEMENTATION) defines VECTA_STB_EXTERNAL before including vecta, and vecta then
// only declares stb's functions and links against that copy.
#pragma once

#if defined(VECTA_STB_EXTERNAL)
#include <stb_image.h>
#include <stb_image_write.h>
#else
#if defined(STBI_INCLUDE_STB_IMAGE_H) || defined(INCLUDE_STB_IMAGE_WRITE_H)
#error \
    "stb_image.h was included before vecta/io: include vecta first, or define VECTA_STB_EXTERNAL and compile stb yourself"
#endif
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wdouble-promotion"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wduplicated-branches"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#endif
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_FAILURE_USERMSG
#include <stb_image.h>
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
#endif
