// NumPy `.npy` encoding and decoding for sample matrices (used by samples.cc; separate so the
// tests can feed it damaged bytes without touching the file system).
//
// The format (numpy.lib.format): the magic "\x93NUMPY", a version byte pair, a little-endian
// header length (2 bytes for version 1, 4 for versions 2 and 3), then a Python dict literal with
// 'descr', 'fortran_order' and 'shape', padded with spaces to a 64-byte boundary, then the raw
// array. Decoding trusts nothing: every length and dimension is checked against the bytes that are
// actually there before anything is allocated.
#pragma once

#include <string>
#include <string_view>

#include "firmnet/common/status.h"
#include "firmnet/io/samples.h"

namespace firmnet::io {

// Decodes an npy file's bytes; `path` only names the file in error messages.
StatusOr<Matrix> DecodeNpy(std::string_view bytes, const std::string& path);

// Encodes `m` as a version 1.0, 2-D (rows, cols) little-endian float64 array. `m` must be
// consistent (data.size() == rows * cols, both non-negative).
std::string EncodeNpy(const Matrix& m);

}  // namespace firmnet::io
