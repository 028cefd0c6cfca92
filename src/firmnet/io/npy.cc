#include "firmnet/io/npy.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "firmnet/common/check.h"
#include "firmnet/io/quote.h"

namespace firmnet::io {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";
// Integers beyond 2^53 in magnitude may not convert to double exactly; such values are refused
// rather than silently rounded, so the emulator never sees a value the user did not write.
// `v` is static_cast<double>(i); the range test comes first so that the cast back is defined.
bool IsExact(int64_t i, double v) {
  constexpr double kTwo63 = 9223372036854775808.0;
  return v < kTwo63 && v >= -kTwo63 && static_cast<int64_t>(v) == i;
}
bool IsExact(uint64_t i, double v) {
  constexpr double kTwo64 = 18446744073709551616.0;
  return v < kTwo64 && static_cast<uint64_t>(v) == i;
}

// Quotes up to a few dozen characters of header text for an error message, escaping bytes that
// would garble a terminal.
std::string Quote(std::string_view s) { return QuoteForMessage(s, /*keep_utf8=*/false); }

uint64_t LoadLittleEndian(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// The parsed header dict. A value is one of: string, bool, tuple of non-negative integers.
struct NpyHeader {
  std::optional<std::string> descr;
  std::optional<bool> fortran_order;
  std::optional<std::vector<uint64_t>> shape;
};

// A recursive-descent reader for the small subset of Python literal syntax numpy writes.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& path) : text_(text), path_(path) {}

  StatusOr<NpyHeader> Parse() {
    NpyHeader header;
    SkipSpace();
    if (!Consume('{')) return Error("expected '{' at the start of the header dict");
    while (true) {
      SkipSpace();
      if (Consume('}')) break;
      std::string key;
      FIRMNET_RETURN_IF_ERROR(ParseString(&key, "a quoted key"));
      SkipSpace();
      if (!Consume(':')) return Error("expected ':' after key '" + key + "'");
      SkipSpace();
      if (key == "descr") {
        if (header.descr) return Error("duplicate key 'descr'");
        if (Peek() == '[') {
          return InvalidArgument(path_ +
                                 ": unsupported npy dtype: structured arrays (a 'descr' list) are "
                                 "not supported; save a plain numeric array");
        }
        std::string descr;
        FIRMNET_RETURN_IF_ERROR(ParseString(&descr, "a quoted dtype string for 'descr'"));
        header.descr = descr;
      } else if (key == "fortran_order") {
        if (header.fortran_order) return Error("duplicate key 'fortran_order'");
        bool value = false;
        FIRMNET_RETURN_IF_ERROR(ParseBool(&value));
        header.fortran_order = value;
      } else if (key == "shape") {
        if (header.shape) return Error("duplicate key 'shape'");
        std::vector<uint64_t> shape;
        FIRMNET_RETURN_IF_ERROR(ParseTuple(&shape));
        header.shape = shape;
      } else {
        return Error("unexpected key " + Quote(key) +
                     " (expected 'descr', 'fortran_order' and 'shape')");
      }
      SkipSpace();
      if (Consume(',')) continue;
      SkipSpace();
      if (Consume('}')) break;
      return Error("expected ',' or '}' after the value of '" + key + "'");
    }
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected text after the header dict");
    if (!header.descr) return Error("missing key 'descr'");
    if (!header.fortran_order) return Error("missing key 'fortran_order'");
    if (!header.shape) return Error("missing key 'shape'");
    return header;
  }

 private:
  Status Error(const std::string& what) const {
    return InvalidArgument(path_ + ": bad npy header: " + what + " at offset " +
                           std::to_string(pos_) + " of header " + Quote(text_));
  }
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool Consume(char c) {
    if (Peek() != c || pos_ >= text_.size()) return false;
    ++pos_;
    return true;
  }
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  Status ParseString(std::string* out, const char* what) {
    char quote = Peek();
    if (quote != '\'' && quote != '"') return Error(std::string("expected ") + what);
    ++pos_;
    size_t end = text_.find(quote, pos_);
    if (end == std::string_view::npos) return Error("unterminated string");
    *out = std::string(text_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return OkStatus();
  }

  Status ParseBool(bool* out) {
    if (text_.substr(pos_).starts_with("True")) {
      pos_ += 4;
      *out = true;
      return OkStatus();
    }
    if (text_.substr(pos_).starts_with("False")) {
      pos_ += 5;
      *out = false;
      return OkStatus();
    }
    return Error("expected True or False for 'fortran_order'");
  }

  Status ParseTuple(std::vector<uint64_t>* out) {
    if (!Consume('(')) return Error("expected a tuple '(...)' for 'shape'");
    while (true) {
      SkipSpace();
      if (Consume(')')) return OkStatus();
      if (Peek() < '0' || Peek() > '9') return Error("expected a non-negative integer in 'shape'");
      uint64_t value = 0;
      while (Peek() >= '0' && Peek() <= '9') {
        uint64_t digit = static_cast<uint64_t>(Peek() - '0');
        if (value > (UINT64_MAX - digit) / 10) return Error("dimension too large in 'shape'");
        value = value * 10 + digit;
        ++pos_;
      }
      Consume('L');  // numpy under Python 2 wrote long integers as 3L.
      out->push_back(value);
      SkipSpace();
      if (Consume(',')) continue;
      SkipSpace();
      if (Consume(')')) return OkStatus();
      return Error("expected ',' or ')' in 'shape'");
    }
  }

  std::string_view text_;
  const std::string& path_;
  size_t pos_ = 0;
};

enum class ElementKind { kFloat, kSigned, kUnsigned, kBool };

struct ElementType {
  ElementKind kind;
  int size;  // bytes
};

StatusOr<ElementType> ParseDescr(const std::string& descr, const std::string& path) {
  auto unsupported = [&](const std::string& why) {
    return InvalidArgument(path + ": unsupported npy dtype " + Quote(descr) + why +
                           "; supported: float64, float32, int8/16/32/64, uint8/16/32/64, bool "
                           "(little-endian)");
  };
  if (descr.size() < 3) return unsupported("");
  char order = descr[0];
  if (order != '<' && order != '>' && order != '|' && order != '=') return unsupported("");
  char kind_char = descr[1];
  std::string_view size_text = std::string_view(descr).substr(2);
  if (size_text != "1" && size_text != "2" && size_text != "4" && size_text != "8") {
    return unsupported("");
  }
  int size = size_text[0] - '0';
  ElementType type{};
  type.size = size;
  switch (kind_char) {
    case 'f':
      if (size != 4 && size != 8) return unsupported(" (only 4- and 8-byte floats)");
      type.kind = ElementKind::kFloat;
      break;
    case 'i':
      type.kind = ElementKind::kSigned;
      break;
    case 'u':
      type.kind = ElementKind::kUnsigned;
      break;
    case 'b':
      if (size != 1) return unsupported("");
      type.kind = ElementKind::kBool;
      break;
    default:
      return unsupported("");
  }
  // '=' is native order; every platform firmnet runs on is little-endian.
  static_assert(std::endian::native == std::endian::little, "npy reader assumes little-endian");
  if (order == '>' && size > 1) {
    return InvalidArgument(path + ": npy dtype " + Quote(descr) +
                           " is big-endian; only little-endian arrays are supported (convert "
                           "with arr.astype('<f8'))");
  }
  return type;
}

std::string ShapeText(const std::vector<uint64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

}  // namespace

namespace {

// What the caller takes: a matrix (rank 1 or 2), samples (rank 1 or more, one sample per index
// of the first axis), or any array. The first two name elements as [sample, value].
enum class Mode { kMatrix, kSamples, kArray };

// The decoder behind DecodeNpy, DecodeNpySamples and DecodeNpyArray.
StatusOr<NdArray> Decode(std::string_view bytes, const std::string& path, Mode mode) {
  const bool as_matrix = mode != Mode::kArray;
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic) {
    return InvalidArgument(path +
                           ": not an npy file (it does not start with the \\x93NUMPY magic)");
  }
  if (bytes.size() < 10) {
    return InvalidArgument(path + ": truncated npy file: " + std::to_string(bytes.size()) +
                           " bytes, too short for the npy preamble");
  }
  int major = data[6], minor = data[7];
  size_t prefix = 0;
  uint64_t header_len = 0;
  if (major == 1) {
    prefix = 10;
    header_len = LoadLittleEndian(data + 8, 2);
  } else if (major == 2 || major == 3) {
    prefix = 12;
    if (bytes.size() < prefix) {
      return InvalidArgument(path + ": truncated npy file: " + std::to_string(bytes.size()) +
                             " bytes, too short for the npy preamble");
    }
    header_len = LoadLittleEndian(data + 8, 4);
  } else {
    return InvalidArgument(path + ": unsupported npy format version " + std::to_string(major) +
                           "." + std::to_string(minor) + " (supported: 1.x, 2.x, 3.x)");
  }
  if (header_len > bytes.size() - prefix) {
    return InvalidArgument(path + ": truncated npy file: the header claims " +
                           std::to_string(header_len) + " bytes but only " +
                           std::to_string(bytes.size() - prefix) + " follow the preamble");
  }
  std::string_view header_text = bytes.substr(prefix, header_len);
  FIRMNET_ASSIGN_OR_RETURN(NpyHeader header, HeaderParser(header_text, path).Parse());
  FIRMNET_ASSIGN_OR_RETURN(ElementType type, ParseDescr(*header.descr, path));
  const std::vector<uint64_t>& shape = *header.shape;
  if (mode == Mode::kMatrix && (shape.empty() || shape.size() > 2)) {
    return InvalidArgument(path + ": npy array has shape " + ShapeText(shape) +
                           "; expected 1-D (one sample) or 2-D (one sample per row)");
  }
  if (mode == Mode::kSamples && shape.empty()) {
    return InvalidArgument(path +
                           ": npy array has shape (); expected 1-D (one sample) or more "
                           "dimensions (one sample per index of the first axis)");
  }
  if (shape.size() > kMaxNpyRank) {
    return InvalidArgument(path + ": npy array has " + std::to_string(shape.size()) +
                           " dimensions; at most " + std::to_string(kMaxNpyRank) +
                           " are supported");
  }
  if (*header.fortran_order && shape.size() >= 2) {
    return InvalidArgument(path + ": npy array of shape " + ShapeText(shape) +
                           " is stored in Fortran (column-major) order; save it in C order "
                           "(np.save(path, np.ascontiguousarray(arr)))");
  }
  if (as_matrix &&
      (shape.back() == 0 ||
       (shape.size() > 2 && std::find(shape.begin() + 1, shape.end(), 0) != shape.end()))) {
    return InvalidArgument(path + ": npy array of shape " + ShapeText(shape) +
                           " has samples with no values");
  }
  for (uint64_t d : shape) {
    if (d > static_cast<uint64_t>(INT64_MAX)) {
      return InvalidArgument(path + ": npy array of shape " + ShapeText(shape) + ": dimension " +
                             std::to_string(d) + " is too large");
    }
  }

  // Overflow-checked products: a hostile shape must not wrap around to a plausible size. A
  // zero dimension makes the array empty whatever the others say.
  uint64_t available = bytes.size() - prefix - header_len;
  uint64_t count = 1, needed = 0;
  bool overflow = false;
  const bool empty = std::find(shape.begin(), shape.end(), 0) != shape.end();
  if (empty) {
    count = 0;
  } else {
    for (uint64_t d : shape) overflow = overflow || __builtin_mul_overflow(count, d, &count);
  }
  overflow = overflow || count > static_cast<uint64_t>(INT64_MAX) ||
             __builtin_mul_overflow(count, static_cast<uint64_t>(type.size), &needed);
  if (overflow || needed != available) {
    std::string what =
        !overflow && needed < available ? "npy file has trailing bytes: " : "truncated npy file: ";
    std::string expected = overflow ? "more than 2^64 bytes" : std::to_string(needed) + " bytes";
    return InvalidArgument(path + ": " + what + "shape " + ShapeText(shape) + " of dtype " +
                           Quote(*header.descr) + " needs " + expected + " of data, found " +
                           std::to_string(available));
  }

  NdArray a;
  for (uint64_t d : shape) a.shape.push_back(static_cast<int64_t>(d));
  a.data.resize(count);
  const unsigned char* p = data + prefix + header_len;
  auto where = [&](uint64_t i) {
    if (as_matrix) {
      const uint64_t cols = shape.size() == 1 ? shape[0] : count / shape[0];
      return "element [" + std::to_string(i / cols) + ", " + std::to_string(i % cols) + "]";
    }
    std::vector<uint64_t> index(shape.size());
    for (size_t k = shape.size(); k-- > 0;) {
      index[k] = i % shape[k];
      i /= shape[k];
    }
    std::string s = "element [";
    for (size_t k = 0; k < index.size(); ++k) s += (k ? ", " : "") + std::to_string(index[k]);
    return s + "]";
  };
  for (uint64_t i = 0; i < count; ++i, p += type.size) {
    uint64_t raw = LoadLittleEndian(p, type.size);
    double v = 0;
    switch (type.kind) {
      case ElementKind::kFloat:
        v = type.size == 8 ? std::bit_cast<double>(raw)
                           : static_cast<double>(std::bit_cast<float>(static_cast<uint32_t>(raw)));
        break;
      case ElementKind::kSigned: {
        // Sign-extend from the element width.
        int shift = 64 - 8 * type.size;
        int64_t s = static_cast<int64_t>(raw << shift) >> shift;
        v = static_cast<double>(s);
        if (!IsExact(s, v)) {
          return InvalidArgument(path + ": " + where(i) + " = " + std::to_string(s) +
                                 " cannot be represented exactly as a double");
        }
        break;
      }
      case ElementKind::kUnsigned:
        v = static_cast<double>(raw);
        if (!IsExact(raw, v)) {
          return InvalidArgument(path + ": " + where(i) + " = " + std::to_string(raw) +
                                 " cannot be represented exactly as a double");
        }
        break;
      case ElementKind::kBool:
        v = raw != 0 ? 1.0 : 0.0;
        break;
    }
    if (std::isnan(v)) return InvalidArgument(path + ": " + where(i) + " is NaN");
    if (std::isinf(v)) return InvalidArgument(path + ": " + where(i) + " is infinite");
    a.data[i] = v;
  }
  return a;
}

std::string Encode(const std::vector<int64_t>& shape, const std::vector<double>& data) {
  std::string dims;
  for (size_t i = 0; i < shape.size(); ++i) dims += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) dims += ",";
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + dims + "), }";
  // Pad with spaces so that the data starts on a 64-byte boundary, ending the header with '\n'.
  size_t total = kMagic.size() + 4 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  FIRMNET_CHECK(header.size() <= 0xffff) << "npy header too long";

  std::string out(kMagic);
  out += static_cast<char>(1);
  out += static_cast<char>(0);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  out.reserve(out.size() + data.size() * 8);
  for (double v : data) {
    uint64_t raw = std::bit_cast<uint64_t>(v);
    for (int b = 0; b < 8; ++b) out += static_cast<char>((raw >> (8 * b)) & 0xff);
  }
  return out;
}

}  // namespace

StatusOr<Matrix> DecodeNpy(std::string_view bytes, const std::string& path) {
  FIRMNET_ASSIGN_OR_RETURN(NdArray a, Decode(bytes, path, Mode::kMatrix));
  return SamplesMatrix(std::move(a), path);
}

StatusOr<Matrix> DecodeNpySamples(std::string_view bytes, const std::string& path) {
  FIRMNET_ASSIGN_OR_RETURN(NdArray a, Decode(bytes, path, Mode::kSamples));
  return SamplesMatrix(std::move(a), path);
}

StatusOr<NdArray> DecodeNpyArray(std::string_view bytes, const std::string& path) {
  return Decode(bytes, path, Mode::kArray);
}

StatusOr<Matrix> SamplesMatrix(NdArray a, const std::string& path) {
  if (a.shape.empty()) {
    return InvalidArgument(path +
                           ": a scalar array (shape ()) is not a set of samples; expected "
                           "1-D (one sample) or more dimensions (one sample per index of "
                           "the first axis)");
  }
  Matrix m;
  m.rows = a.shape.size() == 1 ? 1 : a.shape[0];
  m.cols = 1;
  for (size_t k = a.shape.size() == 1 ? 0 : 1; k < a.shape.size(); ++k) m.cols *= a.shape[k];
  if (m.cols == 0) {
    return InvalidArgument(path + ": array of shape " + FormatShape(a.shape) +
                           " has samples with no values");
  }
  m.data = std::move(a.data);
  return m;
}

bool ConsistentArray(const NdArray& a) {
  uint64_t count = 1;
  for (int64_t d : a.shape) {
    if (d < 0 || __builtin_mul_overflow(count, static_cast<uint64_t>(d), &count)) return false;
  }
  return count == a.data.size();
}

std::string FormatShape(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string EncodeNpyArray(const NdArray& a) {
  FIRMNET_CHECK(ConsistentArray(a)) << "inconsistent array of shape " << FormatShape(a.shape)
                                    << " with " << a.data.size() << " values";
  return Encode(a.shape, a.data);
}

std::string EncodeNpy(const Matrix& m) {
  FIRMNET_CHECK(m.rows >= 0 && m.cols >= 0 &&
                m.data.size() == static_cast<uint64_t>(m.rows) * static_cast<uint64_t>(m.cols))
      << "inconsistent matrix " << m.rows << "x" << m.cols << " with " << m.data.size()
      << " values";
  return Encode({m.rows, m.cols}, m.data);
}

}  // namespace firmnet::io
