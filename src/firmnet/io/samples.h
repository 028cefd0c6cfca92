// Sample file I/O: reads model inputs and writes model outputs for the CLI (predict, compare) and
// the tests.
//
// Inputs come from NumPy `.npy` files (what Python users save) or from text files (`.csv`, `.dat`,
// `.txt`: what hls4ml's test benches read). Either way one sample is one row. Outputs go to `.npy`
// (float64) or text, where every value is printed in the shortest form that reads back as the same
// double, so a text file never loses a bit of an emulator result. Values wider than a double
// (exact decimals of wide fixed-point numbers) are written with WriteTextRows.
//
// Every error names the file, the line (text) or element (npy) and what is wrong; nothing here
// crashes, hangs or allocates without bound on a damaged file. Writes are atomic: the data goes to
// a temporary file in the target's directory that is renamed over the target only when complete,
// so a failed write never leaves a partial file behind.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "firmnet/common/status.h"

namespace firmnet::io {

// A dense row-major matrix of samples: element (r, c) is data[r * cols + c].
struct Matrix {
  int64_t rows = 0, cols = 0;
  std::vector<double> data;
};

// Reads samples from `path`.
//  - `.npy`: little-endian, C-order arrays of float64, float32, int8..int64, uint8..uint64 or bool.
//    A 1-D array is one sample; a 2-D array has one sample per row; an array of more dimensions
//    has one sample per index of its first axis, flattened in C order ([N, 25, 25, 1]: N rows of
//    625 values).
//  - `.npz`: an archive (io/npz.h) holding exactly one such array, of any name.
//  - `.csv`, `.dat`, `.txt`: text, one sample per line; values separated by commas, spaces or tabs;
//    blank lines and lines whose first non-blank character is `#` are skipped. Every row must
//    have the same number of values and the file must hold at least one row.
//  - any other extension: read as npy when the file starts with the npy magic, else as text.
// NaN and infinite values are rejected: no fixed-point type can represent them.
StatusOr<Matrix> ReadSamples(const std::string& path);

// Writes `m` to `path`: `.npy` gives a 2-D float64 array (rows, cols); anything else gives text,
// one row per line, values separated by one space, each in the shortest form that round-trips the
// double exactly. Rejects a matrix whose data size is not rows * cols, and NaN/infinite values
// (ReadSamples would refuse to read them back).
Status WriteSamples(const std::string& path, const Matrix& m);

// Writes `a` to `path` as a float64 `.npy` array of its shape (any extension). Rejects an
// inconsistent array and NaN/infinite values.
struct NdArray;
Status WriteNpyArray(const std::string& path, const NdArray& a);

// Writes text rows of already formatted values (for example exact decimals of wide fixed-point
// numbers), one row per line, values separated by one space. A value must be non-empty and must
// not contain a space, tab, comma, '#' or line break, so that the file reads back as the same rows.
Status WriteTextRows(const std::string& path, const std::vector<std::vector<std::string>>& rows);

}  // namespace firmnet::io
