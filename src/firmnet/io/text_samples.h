// Text sample files (`.csv`, `.dat`, `.txt`): parsing and exact printing (used by samples.cc;
// separate so the tests can exercise the parser on strings).
//
// One sample per line, values separated by commas, spaces or tabs (runs of blanks count as one
// separator; two commas in a row leave an empty value, which is an error). Blank lines and lines
// whose first non-blank character is '#' are skipped; a UTF-8 byte order mark and CRLF line ends
// are accepted so that files from spreadsheets load. Values are printed with std::to_chars in the
// shortest form that reads back as the same double.
#pragma once

#include <string>
#include <string_view>

#include "firmnet/common/status.h"
#include "firmnet/io/samples.h"

namespace firmnet::io {

// Parses text samples; `path` only names the file in error messages (with the 1-based line).
StatusOr<Matrix> ParseTextSamples(std::string_view text, const std::string& path);

// Prints `m` one row per line, values separated by one space. `m` must be consistent.
std::string FormatTextSamples(const Matrix& m);

}  // namespace firmnet::io
