// SPDX-License-Identifier: MIT
// A reader of NumPy .npy files holding float32 matrices, for `vecta similarity`. The files are
// untrusted: every field is validated and nothing is read outside the buffer.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace vecta::cli {

/// A row-major float32 matrix.
struct npy_matrix {
    std::vector<float> data;  ///< rows * cols values, row-major
    std::size_t rows = 0, cols = 0;
};

/// Parses a .npy file (format versions 1.0, 2.0 and 3.0 as specified in NumPy's
/// numpy.lib.format documentation / NEP 1): the magic "\x93NUMPY", the version, the header length
/// (u16 LE in 1.0, u32 LE in 2.0/3.0), a Python dict literal with exactly the keys 'descr',
/// 'fortran_order' and 'shape', then the data. Accepted: descr '<f4' (or '>f4', byte-swapped),
/// C or Fortran order (transposed to row-major), shape (n,) (one row) or (rows, cols) with both
/// >= 1, exactly rows * cols * 4 data bytes, finite values. The header is at most 65536 bytes.
/// O(file size). Throws vecta::io_error naming `what` and the reason on anything else.
npy_matrix parse_npy(std::span<const unsigned char> bytes, const std::string& what);

}  // namespace vecta::cli
