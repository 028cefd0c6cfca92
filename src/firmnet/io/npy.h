// NumPy `.npy` encoding and decoding for sample matrices (used by samples.cc; separate so the
// tests can feed it damaged bytes without touching the file system).
//
// The format (numpy.lib.format): the magic "\x93NUMPY", a version byte pair, a little-endian
// header length (2 bytes for version 1, 4 for versions 2 and 3), then a Python dict literal with
// 'descr', 'fortran_order' and 'shape', padded with spaces to a 64-byte boundary, then the raw
// array. Decoding trusts nothing: every length and dimension is checked against the bytes that are
// actually there before anything is allocated.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/io/samples.h"

namespace firmnet::io {

// An N-D array of doubles in C (row-major) order: `shape` may be empty (a scalar, one value);
// data.size() is the product of the dimensions.
struct NdArray {
  std::vector<int64_t> shape;
  std::vector<double> data;
};

// The most dimensions an npy array may have (numpy 2's limit; numpy 1 allowed 32).
inline constexpr size_t kMaxNpyRank = 64;

// Decodes an npy file's bytes as a sample matrix: a 1-D array is one sample, a 2-D array has one
// sample per row; any other rank is an error. `path` only names the file in error messages.
StatusOr<Matrix> DecodeNpy(std::string_view bytes, const std::string& path);

// Decodes an npy file's bytes as samples: a 1-D array is one sample; an array of 2 or more
// dimensions has one sample per index of its first axis, each flattened in C order (shape
// [N, 25, 25, 1] gives N rows of 625 values). Rank 1 and 2 read as DecodeNpy reads them.
StatusOr<Matrix> DecodeNpySamples(std::string_view bytes, const std::string& path);

// The samples of an array, as DecodeNpySamples takes them; `a` must be consistent. A scalar, or
// samples with no values, are an error naming `path`.
StatusOr<Matrix> SamplesMatrix(NdArray a, const std::string& path);

// Decodes an npy file's bytes as an array of any rank (0 to kMaxNpyRank), with the same checks
// (dtype, byte counts, dimensions that overflow, NaN and infinities). Every dimension fits int64_t
// and so does the element count; zero-size arrays are accepted.
StatusOr<NdArray> DecodeNpyArray(std::string_view bytes, const std::string& path);

// Encodes `m` as a version 1.0, 2-D (rows, cols) little-endian float64 array. `m` must be
// consistent (data.size() == rows * cols, both non-negative).
std::string EncodeNpy(const Matrix& m);
// Encodes `a` as a little-endian float64 array of its shape. `a` must be consistent
// (ConsistentArray).
std::string EncodeNpyArray(const NdArray& a);

// Whether the dimensions are non-negative, their product does not overflow and equals
// data.size().
bool ConsistentArray(const NdArray& a);

// "[2,25,25,1]": a shape for messages (as ir::FormatShape writes it).
std::string FormatShape(const std::vector<int64_t>& shape);

}  // namespace firmnet::io
