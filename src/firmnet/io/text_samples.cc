#include "firmnet/io/text_samples.h"

#include <charconv>
#include <cmath>
#include <system_error>
#include <vector>

#include "firmnet/common/check.h"
#include "firmnet/io/quote.h"

namespace firmnet::io {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Shows a token in an error message, escaping control bytes (a binary file opened as text would
// otherwise spray them onto the terminal) and cutting long ones short.
std::string Quote(std::string_view s) { return QuoteForMessage(s, /*keep_utf8=*/true); }

// Parses one value. Accepts what std::from_chars accepts plus one leading '+', and rejects
// NaN and infinities with their own message.
Status ParseValue(std::string_view token, const std::string& where, double* out) {
  // from_chars takes one leading '-' but no '+'; allow exactly one sign of either kind.
  std::string_view digits = token;
  if (digits.starts_with('+')) {
    digits.remove_prefix(1);
    if (digits.starts_with('-')) digits = {};
  }
  if (digits.empty()) return InvalidArgument(where + ": " + Quote(token) + " is not a number");
  double v = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec == std::errc::invalid_argument || ptr != digits.data() + digits.size()) {
    return InvalidArgument(where + ": " + Quote(token) + " is not a number");
  }
  if (ec == std::errc::result_out_of_range) {
    return InvalidArgument(
        where + ": " + Quote(token) +
        " is out of the range of a double (too large or too small in magnitude)");
  }
  if (std::isnan(v)) return InvalidArgument(where + ": value " + Quote(token) + " is NaN");
  if (std::isinf(v)) return InvalidArgument(where + ": value " + Quote(token) + " is infinite");
  *out = v;
  return OkStatus();
}

}  // namespace

StatusOr<Matrix> ParseTextSamples(std::string_view text, const std::string& path) {
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  Matrix m;
  int64_t first_row_line = 0;
  int64_t line_number = 0;
  std::vector<double> row;
  while (!text.empty()) {
    ++line_number;
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);

    size_t first = 0;
    while (first < line.size() && IsBlank(line[first])) ++first;
    if (first == line.size() || line[first] == '#') continue;

    const std::string where = path + ":" + std::to_string(line_number);
    row.clear();
    // Tokens are runs of characters other than ',', ' ' and '\t'. Blanks around a comma belong
    // to it; a comma with no value since the previous comma (or the line start) is an error.
    bool value_since_comma = false;
    size_t i = first;
    while (i < line.size()) {
      char c = line[i];
      if (IsBlank(c)) {
        ++i;
      } else if (c == ',') {
        if (!value_since_comma) {
          return InvalidArgument(where + ": empty value before the comma in column " +
                                 std::to_string(i + 1));
        }
        value_since_comma = false;
        ++i;
      } else {
        size_t end = i;
        while (end < line.size() && line[end] != ',' && !IsBlank(line[end])) ++end;
        double v = 0;
        FIRMNET_RETURN_IF_ERROR(ParseValue(
            line.substr(i, end - i), where + ": value " + std::to_string(row.size() + 1), &v));
        row.push_back(v);
        value_since_comma = true;
        i = end;
      }
    }
    if (!value_since_comma) {
      return InvalidArgument(where + ": the line ends with a comma (an empty last value)");
    }
    if (m.rows == 0) {
      m.cols = static_cast<int64_t>(row.size());
      first_row_line = line_number;
    } else if (static_cast<int64_t>(row.size()) != m.cols) {
      return InvalidArgument(where + ": ragged rows: this row has " + std::to_string(row.size()) +
                             " values, but the first row (line " + std::to_string(first_row_line) +
                             ") has " + std::to_string(m.cols));
    }
    m.data.insert(m.data.end(), row.begin(), row.end());
    ++m.rows;
  }
  if (m.rows == 0) {
    return InvalidArgument(path +
                           ": no samples: the file has no rows of values (only blank or "
                           "'#' comment lines)");
  }
  return m;
}

std::string FormatTextSamples(const Matrix& m) {
  FIRMNET_CHECK(m.rows >= 0 && m.cols >= 0 &&
                m.data.size() == static_cast<uint64_t>(m.rows) * static_cast<uint64_t>(m.cols))
      << "inconsistent matrix " << m.rows << "x" << m.cols << " with " << m.data.size()
      << " values";
  std::string out;
  // 24 characters hold any shortest round-trip double ("-2.2250738585072014e-308" is the longest).
  char buffer[32];
  for (int64_t r = 0; r < m.rows; ++r) {
    for (int64_t c = 0; c < m.cols; ++c) {
      if (c > 0) out += ' ';
      auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof(buffer),
                                     m.data[static_cast<size_t>(r * m.cols + c)]);
      FIRMNET_CHECK(ec == std::errc()) << "to_chars failed";
      out.append(buffer, ptr);
    }
    out += '\n';
  }
  return out;
}

}  // namespace firmnet::io
