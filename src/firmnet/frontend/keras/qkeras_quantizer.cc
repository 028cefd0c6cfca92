#include "firmnet/frontend/keras/qkeras_quantizer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string_view>
#include <system_error>
#include <utility>

namespace firmnet::keras {
namespace {

using json = nlohmann::json;
using Kind = QKerasQuantizer::Kind;
using Alpha = QKerasQuantizer::Alpha;

// ------------------------------------------------------------------------------------------
// The quantizer classes and their constructor parameters, in QKeras' positional order.

// clang-format off
constexpr std::array<std::string_view, 15> kBitsParams = {
    "bits", "integer", "symmetric", "keep_negative", "alpha", "use_stochastic_rounding",
    "scale_axis", "qnoise_factor", "var_name", "use_ste", "use_variables", "elements_per_scale",
    "min_po2_exponent", "max_po2_exponent", "post_training_scale"};
constexpr std::array<std::string_view, 12> kReluParams = {
    "bits", "integer", "use_sigmoid", "negative_slope", "use_stochastic_rounding",
    "relu_upper_bound", "is_quantized_clip", "qnoise_factor", "var_name", "use_ste",
    "use_variables", "enable_fast_inference"};
constexpr std::array<std::string_view, 4> kTanhParams = {
    "bits", "use_stochastic_rounding", "symmetric", "use_real_tanh"};
constexpr std::array<std::string_view, 4> kSigmoidParams = {
    "bits", "symmetric", "use_real_sigmoid", "use_stochastic_rounding"};
constexpr std::array<std::string_view, 9> kPo2Params = {
    "bits", "max_value", "use_stochastic_rounding", "quadratic_approximation", "log2_rounding",
    "qnoise_factor", "var_name", "use_ste", "use_variables"};
constexpr std::array<std::string_view, 10> kReluPo2Params = {
    "bits", "max_value", "negative_slope", "use_stochastic_rounding", "quadratic_approximation",
    "log2_rounding", "qnoise_factor", "var_name", "use_ste", "use_variables"};
constexpr std::array<std::string_view, 7> kBinaryParams = {
    "use_01", "alpha", "use_stochastic_rounding", "scale_axis", "elements_per_scale",
    "min_po2_exponent", "max_po2_exponent"};
constexpr std::array<std::string_view, 4> kTernaryParams = {
    "alpha", "threshold", "use_stochastic_rounding", "number_of_unrolls"};
// clang-format on

struct ClassSpec {
  std::string_view name;
  Kind kind;
  bool is_function;
  std::span<const std::string_view> params;
};

constexpr std::array<ClassSpec, 10> kClasses = {{
    {"quantized_bits", Kind::kQuantizedBits, false, kBitsParams},
    {"quantized_relu", Kind::kQuantizedRelu, false, kReluParams},
    {"quantized_tanh", Kind::kQuantizedTanh, false, kTanhParams},
    {"quantized_sigmoid", Kind::kQuantizedSigmoid, false, kSigmoidParams},
    {"quantized_po2", Kind::kQuantizedPo2, false, kPo2Params},
    {"quantized_relu_po2", Kind::kQuantizedReluPo2, false, kReluPo2Params},
    {"binary", Kind::kBinary, false, kBinaryParams},
    {"ternary", Kind::kTernary, false, kTernaryParams},
    {"binary_tanh", Kind::kBinary, true, {}},
    {"ternary_tanh", Kind::kTernary, true, {}},
}};

const ClassSpec* FindClass(std::string_view name) {
  for (const ClassSpec& c : kClasses) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::string JoinNames(std::span<const std::string_view> names) {
  std::string out;
  for (std::string_view n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

std::string SupportedClasses() {
  std::string out;
  for (const ClassSpec& c : kClasses) {
    if (!out.empty()) out += ", ";
    out += c.name;
  }
  return out;
}

Status Bad(const std::string& where, const std::string& message) {
  return InvalidArgument(where + ": " + message);
}

// User text quoted in a message: at most 80 characters, control bytes shown as '?'.
std::string Quote(std::string_view text) {
  constexpr size_t kMax = 80;
  std::string out = "'";
  for (size_t i = 0; i < text.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  if (text.size() > kMax) out += "...";
  return out + "'";
}

// ------------------------------------------------------------------------------------------
// Argument values, as QKeras' constructors receive them.

struct Arg {
  enum class Type : uint8_t { kNone, kBool, kInt, kFloat, kString };
  Type type = Type::kNone;
  bool b = false;
  int64_t i = 0;
  double f = 0.0;
  std::string s;
};

// Python's spelling of a float: shortest round trip, always with a point or an exponent.
std::string FloatText(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::array<char, 64> buf{};
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  std::string t(buf.data(), r.ptr);
  if (t.find_first_of(".e") == std::string::npos) t += ".0";
  return t;
}

// The argument as Python would print it, for messages.
std::string ArgText(const Arg& a) {
  switch (a.type) {
    case Arg::Type::kNone:
      return "None";
    case Arg::Type::kBool:
      return a.b ? "True" : "False";
    case Arg::Type::kInt:
      return std::to_string(a.i);
    case Arg::Type::kFloat:
      return FloatText(a.f);
    case Arg::Type::kString:
      return Quote(a.s);
  }
  return "?";
}

StatusOr<Arg> ArgFromJson(const json& v, std::string_view name, const std::string& where) {
  Arg a;
  if (v.is_null()) {
    a.type = Arg::Type::kNone;
  } else if (v.is_boolean()) {
    a.type = Arg::Type::kBool;
    a.b = v.get<bool>();
  } else if (v.is_number_unsigned()) {
    const auto u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return Bad(where, "'" + std::string(name) + "' is out of range, got " + std::to_string(u));
    }
    a.type = Arg::Type::kInt;
    a.i = static_cast<int64_t>(u);
  } else if (v.is_number_integer()) {
    a.type = Arg::Type::kInt;
    a.i = v.get<int64_t>();
  } else if (v.is_number_float()) {
    a.type = Arg::Type::kFloat;
    a.f = v.get<double>();
  } else if (v.is_string()) {
    a.type = Arg::Type::kString;
    a.s = v.get<std::string>();
  } else {
    return Bad(where, "'" + std::string(name) +
                          "' must be a number, True/False, None or a string, got " +
                          Quote(v.dump(-1, ' ', false, json::error_handler_t::replace)));
  }
  return a;
}

// ------------------------------------------------------------------------------------------
// Typed reads of one argument; every error names the parameter and the value.

std::string Named(std::string_view name) { return "'" + std::string(name) + "'"; }

StatusOr<int64_t> IntArg(const Arg& a, std::string_view name, const std::string& where) {
  if (a.type != Arg::Type::kInt) {
    return Bad(where, Named(name) + " must be an integer, got " + ArgText(a));
  }
  return a.i;
}

StatusOr<int64_t> IntInRange(const Arg& a, std::string_view name, int64_t lo, int64_t hi,
                             const std::string& where) {
  FIRMNET_ASSIGN_OR_RETURN(int64_t v, IntArg(a, name, where));
  if (v < lo || v > hi) {
    return Bad(where, Named(name) + " must be between " + std::to_string(lo) + " and " +
                          std::to_string(hi) + ", got " + std::to_string(v));
  }
  return v;
}

// QKeras writes flags both as True/False and as 0/1 (its __str__ prints int(symmetric)).
StatusOr<bool> BoolArg(const Arg& a, std::string_view name, const std::string& where) {
  if (a.type == Arg::Type::kBool) return a.b;
  if (a.type == Arg::Type::kInt && (a.i == 0 || a.i == 1)) return a.i == 1;
  return Bad(where, Named(name) + " must be True or False (or 0/1), got " + ArgText(a));
}

StatusOr<double> NumArg(const Arg& a, std::string_view name, const std::string& where) {
  double v = 0.0;
  if (a.type == Arg::Type::kInt) {
    v = static_cast<double>(a.i);
  } else if (a.type == Arg::Type::kFloat) {
    v = a.f;
  } else {
    return Bad(where, Named(name) + " must be a number, got " + ArgText(a));
  }
  if (!std::isfinite(v)) return Bad(where, Named(name) + " must be finite, got " + ArgText(a));
  return v;
}

StatusOr<std::optional<double>> OptNumArg(const Arg& a, std::string_view name,
                                          const std::string& where) {
  if (a.type == Arg::Type::kNone) return std::optional<double>();
  FIRMNET_ASSIGN_OR_RETURN(double v, NumArg(a, name, where));
  return std::optional<double>(v);
}

Status MustBeNone(const Arg& a, std::string_view name, const std::string& where) {
  if (a.type == Arg::Type::kNone) return OkStatus();
  return Bad(where, Named(name) + " is not supported (only None), got " + ArgText(a));
}

// A flag that firmnet supports only in its default (false) state.
Status MustBeFalse(const Arg& a, std::string_view name, std::string_view why,
                   const std::string& where) {
  FIRMNET_ASSIGN_OR_RETURN(bool v, BoolArg(a, name, where));
  if (!v) return OkStatus();
  return Bad(where, Named(name) + " must be False (" + std::string(why) + "), got " + ArgText(a));
}

bool IsPowerOfTwo(double v) {
  if (!(v > 0.0) || !std::isfinite(v)) return false;
  int exp = 0;
  return std::frexp(v, &exp) == 0.5;
}

Status SetParam(QKerasQuantizer& q, std::string_view name, const Arg& a, const std::string& where) {
  if (name == "bits") {
    FIRMNET_ASSIGN_OR_RETURN(int64_t v, IntInRange(a, name, 1, 32, where));
    q.bits = static_cast<int>(v);
  } else if (name == "integer") {
    FIRMNET_ASSIGN_OR_RETURN(int64_t v, IntInRange(a, name, -32, 32, where));
    q.integer = static_cast<int>(v);
  } else if (name == "symmetric") {
    FIRMNET_ASSIGN_OR_RETURN(q.symmetric, BoolArg(a, name, where));
  } else if (name == "keep_negative") {
    FIRMNET_ASSIGN_OR_RETURN(q.keep_negative, BoolArg(a, name, where));
  } else if (name == "alpha") {
    if (a.type == Arg::Type::kNone) {
      q.alpha_mode = Alpha::kNone;
      q.alpha = 1.0;
    } else if (a.type == Arg::Type::kString) {
      if (a.s == "auto") {
        q.alpha_mode = Alpha::kAuto;
      } else if (a.s == "auto_po2") {
        q.alpha_mode = Alpha::kAutoPo2;
      } else {
        return Bad(where,
                   "'alpha' must be None, a number, 'auto' or 'auto_po2', got " + ArgText(a));
      }
      q.alpha = 1.0;
    } else {
      FIRMNET_ASSIGN_OR_RETURN(double v, NumArg(a, name, where));
      if (!(v > 0.0)) return Bad(where, "'alpha' must be positive, got " + ArgText(a));
      q.alpha_mode = Alpha::kValue;
      q.alpha = v;
    }
  } else if (name == "use_stochastic_rounding") {
    FIRMNET_RETURN_IF_ERROR(MustBeFalse(
        a, name, "stochastic rounding draws random numbers and cannot be reproduced", where));
  } else if (name == "scale_axis" || name == "elements_per_scale" ||
             name == "post_training_scale") {
    FIRMNET_RETURN_IF_ERROR(MustBeNone(a, name, where));
  } else if (name == "qnoise_factor") {
    FIRMNET_ASSIGN_OR_RETURN(double v, NumArg(a, name, where));
    if (v != 1.0) {
      return Bad(where,
                 "'qnoise_factor' must be 1.0 (fully quantized; other values mix in the "
                 "unquantized input), got " +
                     ArgText(a));
    }
  } else if (name == "var_name") {
    if (a.type != Arg::Type::kNone && a.type != Arg::Type::kString) {
      return Bad(where, "'var_name' must be None or a string, got " + ArgText(a));
    }
  } else if (name == "use_ste") {
    FIRMNET_ASSIGN_OR_RETURN(q.use_ste, BoolArg(a, name, where));
  } else if (name == "use_variables") {
    FIRMNET_RETURN_IF_ERROR(BoolArg(a, name, where).status());
  } else if (name == "min_po2_exponent" || name == "max_po2_exponent") {
    std::optional<int> v;
    if (a.type != Arg::Type::kNone) {
      FIRMNET_ASSIGN_OR_RETURN(int64_t e, IntInRange(a, name, -126, 127, where));
      v = static_cast<int>(e);
    }
    (name == "min_po2_exponent" ? q.min_po2_exponent : q.max_po2_exponent) = v;
  } else if (name == "use_sigmoid") {
    FIRMNET_ASSIGN_OR_RETURN(q.use_sigmoid, BoolArg(a, name, where));
  } else if (name == "negative_slope") {
    FIRMNET_ASSIGN_OR_RETURN(double v, NumArg(a, name, where));
    if (v != 0.0 && !IsPowerOfTwo(v)) {
      return Bad(where, "'negative_slope' must be 0 or a power of two, got " + ArgText(a));
    }
    q.negative_slope = v;
  } else if (name == "relu_upper_bound") {
    FIRMNET_ASSIGN_OR_RETURN(q.relu_upper_bound, OptNumArg(a, name, where));
  } else if (name == "is_quantized_clip") {
    FIRMNET_ASSIGN_OR_RETURN(q.is_quantized_clip, BoolArg(a, name, where));
  } else if (name == "enable_fast_inference") {
    FIRMNET_RETURN_IF_ERROR(
        MustBeFalse(a, name, "its different formula is not implemented", where));
  } else if (name == "use_real_tanh" || name == "use_real_sigmoid") {
    FIRMNET_ASSIGN_OR_RETURN(q.use_real, BoolArg(a, name, where));
  } else if (name == "max_value") {
    FIRMNET_ASSIGN_OR_RETURN(q.max_value, OptNumArg(a, name, where));
    if (q.max_value && !(*q.max_value > 0.0)) {
      return Bad(where, "'max_value' must be positive, got " + ArgText(a));
    }
  } else if (name == "quadratic_approximation") {
    FIRMNET_RETURN_IF_ERROR(MustBeFalse(a, name, "it is not implemented", where));
  } else if (name == "log2_rounding") {
    if (a.type != Arg::Type::kString || a.s != "rnd") {
      return Bad(where,
                 "'log2_rounding' must be 'rnd' (the only mode implemented), got " + ArgText(a));
    }
  } else if (name == "use_01") {
    FIRMNET_ASSIGN_OR_RETURN(q.use_01, BoolArg(a, name, where));
  } else if (name == "threshold") {
    if (a.type == Arg::Type::kString) {
      return Bad(where, "'threshold' must be None or a number, got " + ArgText(a));
    }
    FIRMNET_ASSIGN_OR_RETURN(q.threshold, OptNumArg(a, name, where));
  } else if (name == "number_of_unrolls") {
    FIRMNET_ASSIGN_OR_RETURN(int64_t v, IntInRange(a, name, 0, 1000, where));
    q.number_of_unrolls = static_cast<int>(v);
  } else {
    FIRMNET_CHECK(false) << "parameter " << name << " is listed but not handled";
  }
  return OkStatus();
}

// Checks that involve several parameters, once all are set.
Status Validate(QKerasQuantizer& q, const std::string& where) {
  const std::string bits_text = " ('bits' is " + std::to_string(q.bits) + ")";
  switch (q.kind) {
    case Kind::kQuantizedBits:
      if (q.integer > q.bits) {
        return Bad(where, "'integer' must not exceed 'bits'" + bits_text + ", got " +
                              std::to_string(q.integer));
      }
      if (q.alpha_mode != Alpha::kAutoPo2 && (q.min_po2_exponent || q.max_po2_exponent)) {
        return Bad(where,
                   "'min_po2_exponent' and 'max_po2_exponent' apply only with alpha='auto_po2'");
      }
      // QKeras' constructor makes every "auto" quantizer symmetric.
      if (q.alpha_mode == Alpha::kAuto || q.alpha_mode == Alpha::kAutoPo2) q.symmetric = true;
      break;
    case Kind::kQuantizedRelu: {
      // QKeras computes 2^bits and 2^integer with TensorFlow's int32 pow.
      const int non_sign_bits = q.bits - (q.negative_slope != 0.0 ? 1 : 0);
      if (non_sign_bits > 30) {
        return Bad(where,
                   "'bits' must be at most 30 for quantized_relu (31 with a "
                   "negative_slope; QKeras computes 2^bits in int32), got " +
                       std::to_string(q.bits));
      }
      if (q.integer < 0 || q.integer > q.bits) {
        return Bad(where, "'integer' must be between 0 and 'bits'" + bits_text +
                              " for quantized_relu, got " + std::to_string(q.integer));
      }
      break;
    }
    case Kind::kQuantizedTanh:
      if (q.bits > 31) {
        return Bad(where,
                   "'bits' must be at most 31 for quantized_tanh (QKeras computes "
                   "2^(bits-1) in int32), got " +
                       std::to_string(q.bits));
      }
      break;
    case Kind::kQuantizedSigmoid:
      if (q.bits > 30) {
        return Bad(where,
                   "'bits' must be at most 30 for quantized_sigmoid (QKeras computes "
                   "2^bits in int32), got " +
                       std::to_string(q.bits));
      }
      break;
    case Kind::kQuantizedPo2: {
      const int need_sign = (!q.max_value || *q.max_value > 1.0) ? 1 : 0;
      if (q.bits - 1 - need_sign < 0) {
        return Bad(where,
                   "'bits' must be at least 2 for quantized_po2 (1 with max_value <= 1), "
                   "got " +
                       std::to_string(q.bits));
      }
      break;
    }
    case Kind::kTernary:
      if ((q.alpha_mode == Alpha::kAuto || q.alpha_mode == Alpha::kAutoPo2) && q.threshold) {
        return Bad(where, "'threshold' must be None when 'alpha' is 'auto' or 'auto_po2', got " +
                              FloatText(*q.threshold));
      }
      break;
    case Kind::kQuantizedReluPo2:
    case Kind::kBinary:
      break;
  }
  return OkStatus();
}

// ------------------------------------------------------------------------------------------
// QKeras' string form: name, or name(args) with args `value, ..., key=value, ...`.

struct ParsedCall {
  std::string name;
  bool has_parens = false;
  std::vector<Arg> positional;
  std::vector<std::pair<std::string, Arg>> keywords;
};

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class CallParser {
 public:
  CallParser(std::string_view text, const std::string& where) : text_(text), where_(where) {}

  StatusOr<ParsedCall> Parse() {
    ParsedCall call;
    SkipSpace();
    call.name = std::string(Identifier());
    if (call.name.empty()) return Error("expected a quantizer name");
    SkipSpace();
    if (AtEnd()) return call;
    if (text_[pos_] != '(') return Error("expected '(' after the name");
    call.has_parens = true;
    ++pos_;
    SkipSpace();
    if (!AtEnd() && text_[pos_] == ')') {
      ++pos_;
    } else {
      while (true) {
        FIRMNET_RETURN_IF_ERROR(Argument(call));
        SkipSpace();
        if (AtEnd()) return Error("expected ',' or ')'");
        if (text_[pos_] == ')') {
          ++pos_;
          break;
        }
        if (text_[pos_] != ',') return Error("expected ',' or ')'");
        ++pos_;
      }
    }
    SkipSpace();
    if (!AtEnd()) return Error("unexpected text after ')'");
    return call;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  void SkipSpace() {
    while (!AtEnd() && IsSpace(text_[pos_])) ++pos_;
  }
  std::string_view Identifier() {
    const size_t start = pos_;
    if (AtEnd() || !IsIdentStart(text_[pos_])) return {};
    while (!AtEnd() && IsIdentChar(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  Status Error(const std::string& what) const {
    return Bad(where_, "cannot parse the quantizer " + Quote(text_) + ": " + what + " at offset " +
                           std::to_string(pos_));
  }

  Status Argument(ParsedCall& call) {
    SkipSpace();
    const size_t start = pos_;
    std::string_view word = Identifier();
    if (!word.empty()) {
      SkipSpace();
      if (!AtEnd() && text_[pos_] == '=') {
        ++pos_;
        FIRMNET_ASSIGN_OR_RETURN(Arg value, Value());
        call.keywords.emplace_back(std::string(word), std::move(value));
        return OkStatus();
      }
      pos_ = start;  // not a keyword: read it again as a value
    }
    if (!call.keywords.empty()) return Error("a positional argument follows a keyword argument");
    FIRMNET_ASSIGN_OR_RETURN(Arg value, Value());
    call.positional.push_back(std::move(value));
    return OkStatus();
  }

  StatusOr<Arg> Value() {
    SkipSpace();
    if (AtEnd()) return Error("expected a value");
    Arg a;
    const char c = text_[pos_];
    if (c == '\'' || c == '"') {
      const size_t close = text_.find(c, pos_ + 1);
      if (close == std::string_view::npos) return Error("unterminated string");
      a.type = Arg::Type::kString;
      a.s = std::string(text_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = close + 1;
      return a;
    }
    if (IsIdentStart(c)) {
      const size_t start = pos_;
      std::string_view word = Identifier();
      if (word == "True" || word == "False") {
        a.type = Arg::Type::kBool;
        a.b = word == "True";
        return a;
      }
      if (word == "None") return a;
      pos_ = start;
      return Error("unquoted word " + Quote(word) + " (strings are quoted: 'auto')");
    }
    return Number();
  }

  StatusOr<Arg> Number() {
    const size_t start = pos_;
    if (text_[pos_] == '+' || text_[pos_] == '-') ++pos_;
    const size_t digits_start = pos_;
    size_t n_digits = 0;
    while (!AtEnd() && IsDigit(text_[pos_])) ++pos_, ++n_digits;
    bool is_float = false;
    if (!AtEnd() && text_[pos_] == '.') {
      is_float = true;
      ++pos_;
      while (!AtEnd() && IsDigit(text_[pos_])) ++pos_, ++n_digits;
    }
    if (n_digits == 0) {
      pos_ = start;
      return Error("expected a value");
    }
    if (!AtEnd() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      is_float = true;
      ++pos_;
      if (!AtEnd() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      size_t exp_digits = 0;
      while (!AtEnd() && IsDigit(text_[pos_])) ++pos_, ++exp_digits;
      if (exp_digits == 0) return Error("expected the exponent's digits");
    }
    if (!AtEnd() && (IsIdentChar(text_[pos_]) || text_[pos_] == '.')) {
      return Error("malformed number");
    }
    const bool negative = text_[start] == '-';
    // std::from_chars takes a leading '-' but not '+'.
    const char* first = text_.data() + (negative ? start : digits_start);
    const char* last = text_.data() + pos_;
    Arg a;
    if (is_float) {
      double v = 0.0;
      auto r = std::from_chars(first, last, v);
      if (r.ec != std::errc() || r.ptr != last || !std::isfinite(v)) {
        return Error("number out of range");
      }
      a.type = Arg::Type::kFloat;
      a.f = v;
    } else {
      int64_t v = 0;
      auto r = std::from_chars(first, last, v);
      if (r.ec != std::errc() || r.ptr != last) return Error("integer out of range");
      a.type = Arg::Type::kInt;
      a.i = v;
    }
    return a;
  }

  std::string_view text_;
  const std::string& where_;
  size_t pos_ = 0;
};

StatusOr<QKerasQuantizer> Build(const ClassSpec& spec, std::string_view class_name,
                                const std::vector<Arg>& positional,
                                const std::vector<std::pair<std::string, Arg>>& keywords,
                                const std::string& where) {
  QKerasQuantizer q;
  q.kind = spec.kind;
  q.class_name = std::string(class_name);
  q.is_function = spec.is_function;
  if (spec.kind == Kind::kBinary) q.bits = 1;
  if (spec.kind == Kind::kTernary) q.bits = 2;
  if (positional.size() > spec.params.size()) {
    return Bad(where, std::string(spec.name) + " takes at most " +
                          std::to_string(spec.params.size()) + " positional arguments, got " +
                          std::to_string(positional.size()));
  }
  std::vector<bool> given(spec.params.size(), false);
  for (size_t i = 0; i < positional.size(); ++i) {
    given[i] = true;
    FIRMNET_RETURN_IF_ERROR(SetParam(q, spec.params[i], positional[i], where));
  }
  for (const auto& [key, value] : keywords) {
    auto it = std::find(spec.params.begin(), spec.params.end(), key);
    if (it == spec.params.end()) {
      std::string message = std::string(spec.name) + " has no parameter " + Quote(key);
      message += spec.params.empty() ? std::string(" (it takes none)")
                                     : "; its parameters are " + JoinNames(spec.params);
      if (spec.kind == Kind::kQuantizedTanh && key == "integer") {
        message += " (QKeras removed quantized_tanh's 'integer' in 2021)";
      }
      return Bad(where, message);
    }
    const auto index = static_cast<size_t>(it - spec.params.begin());
    if (given[index]) return Bad(where, std::string(spec.name) + " got " + Named(key) + " twice");
    given[index] = true;
    FIRMNET_RETURN_IF_ERROR(SetParam(q, key, value, where));
  }
  FIRMNET_RETURN_IF_ERROR(Validate(q, where));
  return q;
}

StatusOr<QKerasQuantizer> ParseString(const std::string& text, const std::string& where) {
  FIRMNET_ASSIGN_OR_RETURN(ParsedCall call, CallParser(text, where).Parse());
  const ClassSpec* spec = FindClass(call.name);
  if (spec == nullptr) {
    return Bad(where, "unsupported QKeras quantizer " + Quote(call.name) +
                          "; supported: " + SupportedClasses());
  }
  if (spec->is_function && call.has_parens) {
    return Bad(where,
               Quote(call.name) + " is a function, not a class: write it without parentheses");
  }
  return Build(*spec, call.name, call.positional, call.keywords, where);
}

StatusOr<QKerasQuantizer> ParseObject(const json& j, const std::string& where) {
  for (const auto& [key, value] : j.items()) {
    if (key != "class_name" && key != "config" && key != "module" && key != "registered_name" &&
        key != "__passive_serialization__") {
      return Bad(where, "unexpected key " + Quote(key) + " in the quantizer object");
    }
  }
  auto cls = j.find("class_name");
  if (cls == j.end() || !cls->is_string()) {
    return Bad(where, "the quantizer object needs a string 'class_name'");
  }
  const std::string name = cls->get<std::string>();
  const ClassSpec* spec = FindClass(name);
  if (spec == nullptr) {
    return Bad(where, "unsupported QKeras quantizer " + Quote(name) +
                          "; supported: " + SupportedClasses());
  }
  std::vector<std::pair<std::string, Arg>> keywords;
  auto config = j.find("config");
  if (config != j.end() && !config->is_null()) {
    if (!config->is_object()) return Bad(where, "the quantizer's 'config' must be an object");
    for (const auto& [key, value] : config->items()) {
      FIRMNET_ASSIGN_OR_RETURN(Arg a, ArgFromJson(value, key, where));
      keywords.emplace_back(key, std::move(a));
    }
  } else if (!spec->is_function) {
    return Bad(where, "the quantizer object needs a 'config' object");
  }
  return Build(*spec, name, {}, keywords, where);
}

// ------------------------------------------------------------------------------------------
// QKeras' forward pass in float32. Each helper is one TensorFlow operation on float32 tensors;
// Python numbers meet a tensor as float32 (static_cast<float> of the double Python holds).

const float kEps = static_cast<float>(1e-7);                // K.epsilon()
const float kLn2 = static_cast<float>(0.6931471805599453);  // np.log(2.0)

float Rint(float v) { return std::nearbyint(v); }  // tf.round: half to even
float Sign(float v) {
  if (std::isnan(v)) return v;
  return v > 0.0f ? 1.0f : (v < 0.0f ? -1.0f : 0.0f);
}
// tf.clip_by_value: maximum(minimum(v, hi), lo).
float Clip(float v, float lo, float hi) {
  const float t = (hi < v) ? hi : v;
  return (t < lo) ? lo : t;
}
// x + stop_gradient(-x + xq): the straight-through estimator's forward value, which rounds twice.
float Ste(float x, float xq) {
  const float d = -x + xq;
  return x + d;
}
// The quantizers' final step with qnoise_factor 1: use_ste ? x + 1*(-x + xq) : (1-1)*x + 1*xq.
float Finish(bool use_ste, float x, float xq) { return use_ste ? Ste(x, xq) : 0.0f * x + xq; }
float Relu(float v, float slope) {
  if (slope == 0.0f) return v > 0.0f ? v : 0.0f;
  return v > 0.0f ? v : v * slope;  // tf.nn.leaky_relu
}
float HardSigmoid(float v) { return Clip(0.5f * v + 0.5f, 0.0f, 1.0f); }
float RealTanh(float v) { return static_cast<float>(std::tanh(static_cast<double>(v))); }
float RealSigmoid(float v) {
  return static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(v))));
}
// tf.pow(2.0, e) for an integral (or infinite, or NaN) float32 e.
float Pow2(float e) {
  if (std::isnan(e)) return e;
  if (e >= 128.0f) return std::numeric_limits<float>::infinity();
  if (e < -160.0f) return 0.0f;
  return std::ldexp(1.0f, static_cast<int>(e));
}
// K.pow(2.0, tf.round(K.log(s + K.epsilon()) / np.log(2.0))).
float Po2Round(float s) { return Pow2(Rint(std::log(s + kEps) / kLn2)); }

// How the values group for "auto" scales: per last-axis channel, or (rank 1) one group for
// reductions over the whole tensor and one element per group for _get_least_squares_scale.
struct Layout {
  size_t n = 0;
  size_t channels = 0;  // 0: a rank-1 tensor
  size_t Channel(size_t i) const { return channels == 0 ? 0 : i % channels; }
  size_t Groups() const { return channels == 0 ? 1 : channels; }
};

// K.max(tf.abs(x), axis=all but the last, keepdims=True), broadcast back to every element.
std::vector<float> MaxAbsPerChannel(const std::vector<float>& x, const Layout& l) {
  std::vector<float> m(l.Groups(), 0.0f);
  std::vector<bool> seen(l.Groups(), false);
  for (size_t i = 0; i < l.n; ++i) {
    const size_t g = l.Channel(i);
    const float a = std::fabs(x[i]);
    if (!seen[g] || a > m[g]) m[g] = a;
    seen[g] = true;
  }
  std::vector<float> out(l.n);
  for (size_t i = 0; i < l.n; ++i) out[i] = m[l.Channel(i)];
  return out;
}

// K.mean over all axes but the last, broadcast back. TensorFlow's summation order is its own;
// firmnet sums the float32 terms in double, rounds the sum to float32 and divides by the count
// in float32 (reduce_mean's two steps), so it can differ from TensorFlow only in the sum's
// last bit.
std::vector<float> MeanPerChannel(const std::vector<float>& v, const Layout& l) {
  std::vector<double> sum(l.Groups(), 0.0);
  std::vector<int64_t> count(l.Groups(), 0);
  for (size_t i = 0; i < l.n; ++i) {
    sum[l.Channel(i)] += static_cast<double>(v[i]);
    ++count[l.Channel(i)];
  }
  std::vector<float> out(l.n);
  for (size_t i = 0; i < l.n; ++i) {
    const size_t g = l.Channel(i);
    out[i] = static_cast<float>(sum[g]) / static_cast<float>(count[g]);
  }
  return out;
}

// _get_least_squares_scale(alpha, x, q): sum(x*q)/sum(q*q) per channel (per element for a
// rank-1 tensor), rounded to a power of two for "auto_po2" and clipped to
// [2^min_po2_exponent, 2^max_po2_exponent] when those are set.
std::vector<float> LeastSquaresScale(bool po2, const std::vector<float>& x,
                                     const std::vector<float>& q, const Layout& l,
                                     std::optional<int> min_po2, std::optional<int> max_po2) {
  std::vector<float> qx(l.n);
  std::vector<float> qq(l.n);
  for (size_t i = 0; i < l.n; ++i) {
    qx[i] = x[i] * q[i];
    qq[i] = q[i] * q[i];
  }
  if (l.channels != 0) {
    qx = MeanPerChannel(qx, l);
    qq = MeanPerChannel(qq, l);
  }
  std::vector<float> scale(l.n);
  for (size_t i = 0; i < l.n; ++i) {
    float s = qx[i] / (qq[i] + kEps);
    if (po2) {
      s = Po2Round(s);
      if (min_po2 || max_po2) {
        // K.clip: a missing bound is infinite; a max below the min becomes the min.
        const float lo =
            min_po2 ? Pow2(static_cast<float>(*min_po2)) : -std::numeric_limits<float>::infinity();
        float hi =
            max_po2 ? Pow2(static_cast<float>(*max_po2)) : std::numeric_limits<float>::infinity();
        if (min_po2 && max_po2 && hi < lo) hi = lo;
        s = Clip(s, lo, hi);
      }
    }
    scale[i] = s;
  }
  return scale;
}

bool IsAuto(Alpha a) { return a == Alpha::kAuto || a == Alpha::kAutoPo2; }

void QuantizedBits(const QKerasQuantizer& q, const Layout& l, const std::vector<float>& x,
                   std::vector<float>& out, std::vector<float>& scale_out) {
  const int unsigned_bits = q.bits - (q.keep_negative ? 1 : 0);
  const float m = Pow2(static_cast<float>(unsigned_bits));
  const float m_i = Pow2(static_cast<float>(q.integer));
  if (IsAuto(q.alpha_mode)) {
    // symmetric is forced on: (2^(bits-1) - 1) * 2 levels, |z| <= levels/2.
    const int64_t levels = ((int64_t{1} << (q.bits - 1)) - 1) * 2;
    const auto levels_f = static_cast<float>(levels);
    const auto mask_limit = static_cast<float>(static_cast<double>(levels) / 2.0);  // Python
    const float fill = levels_f / 2.0f;  // tf.ones_like(v) * levels / 2
    std::vector<float> xs(l.n);
    for (size_t i = 0; i < l.n; ++i) xs[i] = x[i] / m_i;
    std::vector<float> scale = MaxAbsPerChannel(xs, l);
    for (float& s : scale) s = (s * 2.0f) / levels_f;
    std::vector<float> z(l.n);
    auto quantize_z = [&] {
      for (size_t i = 0; i < l.n; ++i) {
        const float v = std::floor(std::fabs(xs[i]) / scale[i] + 0.5f);
        z[i] = Sign(xs[i]) * ((v < mask_limit) ? v : fill);
      }
    };
    if (q.alpha_mode == Alpha::kAutoPo2) {
      for (float& s : scale) s = Po2Round(s);
      for (int iter = 0; iter < 5; ++iter) {
        quantize_z();
        scale = LeastSquaresScale(true, xs, z, l, q.min_po2_exponent, q.max_po2_exponent);
      }
    }
    quantize_z();
    for (size_t i = 0; i < l.n; ++i) {
      const float s = scale[i] * m;
      const float xx = m_i * xs[i];
      const float xq = s * ((m_i * z[i]) / m);
      out[i] = Finish(q.use_ste, xx, xq);
      scale_out[i] = s;
    }
    return;
  }
  const float scale = q.alpha_mode == Alpha::kValue ? static_cast<float>(q.alpha) : 1.0f;
  const float lo = (q.keep_negative ? 1.0f : 0.0f) * (-m + (q.symmetric ? 1.0f : 0.0f));
  const float hi = m - 1.0f;
  for (size_t i = 0; i < l.n; ++i) {
    float xq = 0.0f;
    if (unsigned_bits > 0) {
      const float p = (x[i] * m) / m_i;
      xq = (m_i * Clip(Ste(p, Rint(p)), lo, hi)) / m;
    } else {
      xq = Sign(x[i]);
      xq += 1.0f - std::fabs(xq);
      if (!q.keep_negative) xq = (xq + 1.0f) / 2.0f;
    }
    out[i] = Finish(q.use_ste, x[i], scale * xq);
    scale_out[i] = scale;
  }
}

float QuantizedRelu(const QKerasQuantizer& q, float x) {
  const int non_sign_bits = q.bits - (q.negative_slope != 0.0 ? 1 : 0);
  const float m = Pow2(static_cast<float>(non_sign_bits));
  const float m_i = Pow2(static_cast<float>(q.integer));
  const float m_f = Pow2(static_cast<float>(q.integer) - static_cast<float>(non_sign_bits));
  const auto slope = static_cast<float>(q.negative_slope);
  float x_u = 0.0f;
  if (q.is_quantized_clip) {
    const float top = m_i - m_f;
    x_u = (x <= top) ? Relu(x, slope) : top;
  } else if (q.relu_upper_bound) {
    const auto bound = static_cast<float>(*q.relu_upper_bound);
    x_u = (x <= bound) ? Relu(x, slope) : bound;
  } else {
    x_u = Relu(x, slope);
  }
  const float neg_factor = slope > 0.0f ? 1.0f / (slope * m) : 0.0f;
  float xq = 0.0f;
  if (q.use_sigmoid) {
    const float p = HardSigmoid(x / m_i) * m;
    xq = m_i * Clip(2.0f * (Ste(p, Rint(p)) / m) - 1.0f, 0.0f, 1.0f - 1.0f / m);
    if (slope > 0.0f) {
      const float ps = p * slope;
      xq = xq + (m_i * slope) * Clip(2.0f * (Ste(ps, Rint(ps)) * neg_factor) - 1.0f, -1.0f, 0.0f);
    }
  } else {
    const float p = (x * m) / m_i;
    xq = m_i * Clip(Ste(p, Rint(p)) / m, 0.0f, 1.0f - 1.0f / m);
    if (slope > 0.0f) {
      const float ps = p * slope;
      xq = xq + (m_i * slope) * Clip(Ste(ps, Rint(ps)) * neg_factor, -1.0f, 0.0f);
    }
  }
  // `if self.relu_upper_bound and not self.is_quantized_clip`: a bound of 0 is falsy.
  if (q.relu_upper_bound && *q.relu_upper_bound != 0.0 && !q.is_quantized_clip) {
    const auto bound = static_cast<float>(*q.relu_upper_bound);
    if (!(xq <= bound)) xq = bound;
  }
  return Finish(q.use_ste, x_u, xq);
}

float QuantizedTanh(const QKerasQuantizer& q, float x) {
  const float m = Pow2(static_cast<float>(q.bits - 1));
  const float p = q.use_real ? RealTanh(x) : 2.0f * HardSigmoid(x) - 1.0f;
  const float pm = p * m;
  return Clip(Ste(pm, Rint(pm)) / m, -1.0f + (q.symmetric ? 1.0f : 0.0f) / m, 1.0f - 1.0f / m);
}

float QuantizedSigmoid(const QKerasQuantizer& q, float x) {
  const float m = Pow2(static_cast<float>(q.bits));
  const float p = q.use_real ? RealSigmoid(x) : HardSigmoid(x);
  const float pm = p * m;
  return Clip(Ste(pm, Rint(pm)) / m, (q.symmetric ? 1.0f : 0.0f) / m, 1.0f - 1.0f / m);
}

// The exponent range of quantized_po2 / quantized_relu_po2.
struct Po2Range {
  int64_t min_exp = 0;
  int64_t max_exp = 0;
};
Po2Range Po2Exponents(const QKerasQuantizer& q) {
  const int need_sign = (!q.max_value || *q.max_value > 1.0) ? 1 : 0;
  const int bits = q.kind == Kind::kQuantizedPo2 ? q.bits - 1 - need_sign : q.bits - need_sign;
  FIRMNET_CHECK(bits >= 0 && bits <= 32) << "po2 exponent bits " << bits;
  return {-(int64_t{1} << bits), (int64_t{1} << bits) - 1};
}

// _clip_power_of_two(x_abs, ...) with log2_rounding "rnd": the exponent, as a float32.
float ClipPowerOfTwo(const QKerasQuantizer& q, const Po2Range& r, float x_abs) {
  const auto min_exp = static_cast<float>(r.min_exp);
  const auto max_exp = static_cast<float>(r.max_exp);
  if (x_abs < kEps) return min_exp;
  float filtered = x_abs;
  if (q.max_value) {
    const auto max_value = static_cast<float>(*q.max_value);
    if (filtered >= max_value) filtered = max_value;
  }
  const float l = std::log(filtered) / kLn2;
  return Clip(Ste(l, Rint(l)), min_exp, max_exp);
}

float QuantizedPo2(const QKerasQuantizer& q, const Po2Range& r, float x) {
  float sign = Sign(x);
  sign += 1.0f - std::fabs(sign);
  const float xq = sign * Pow2(ClipPowerOfTwo(q, r, std::fabs(x)));
  return Finish(q.use_ste, x, xq);
}

float QuantizedReluPo2(const QKerasQuantizer& q, const Po2Range& r, float x) {
  const auto slope = static_cast<float>(q.negative_slope);
  float x_u = Relu(x, slope);
  if (q.max_value) {
    const auto max_value = static_cast<float>(*q.max_value);
    if (!(x <= max_value)) x_u = max_value;
  }
  float xq = 0.0f;
  if (x >= 0.0f || slope == 0.0f) {
    xq = Pow2(ClipPowerOfTwo(q, r, Relu(x, 0.0f)));
  } else {
    xq = -Pow2(ClipPowerOfTwo(q, r, Relu(-x, 0.0f) * slope));
  }
  return Finish(q.use_ste, x_u, xq);
}

void Binary(const QKerasQuantizer& q, const Layout& l, const std::vector<float>& x,
            std::vector<float>& out, std::vector<float>& scale_out) {
  if (q.is_function) {  // binary_tanh(x) = 2 * round_through(hard_sigmoid(x)) - 1
    for (size_t i = 0; i < l.n; ++i) {
      const float h = HardSigmoid(x[i]);
      out[i] = 2.0f * Ste(h, Rint(h)) - 1.0f;
      scale_out[i] = 1.0f;
    }
    return;
  }
  std::vector<float> k(l.n);
  std::vector<float> xs(x);
  for (size_t i = 0; i < l.n; ++i) {
    k[i] = Sign(x[i]);
    k[i] += 1.0f - std::fabs(k[i]);
    if (q.use_01) k[i] = (k[i] + 1.0f) / 2.0f;
    if (q.alpha_mode == Alpha::kNone) xs[i] = RealTanh(x[i]);
  }
  std::vector<float> scale(l.n, q.alpha_mode == Alpha::kValue ? static_cast<float>(q.alpha) : 1.0f);
  if (IsAuto(q.alpha_mode)) {
    scale = LeastSquaresScale(q.alpha_mode == Alpha::kAutoPo2, xs, k, l, q.min_po2_exponent,
                              q.max_po2_exponent);
  }
  for (size_t i = 0; i < l.n; ++i) {
    out[i] = Ste(xs[i], scale[i] * k[i]);
    scale_out[i] = scale[i];
  }
}

void Ternary(const QKerasQuantizer& q, const Layout& l, const std::vector<float>& x,
             std::vector<float>& out, std::vector<float>& scale_out) {
  std::vector<float> t(l.n, 0.0f);
  std::vector<float> scale(l.n, q.alpha_mode == Alpha::kValue ? static_cast<float>(q.alpha) : 1.0f);
  if (IsAuto(q.alpha_mode)) {
    // A rank-1 tensor takes its first scale from the whole vector, as for rank >= 2 per channel.
    scale = MaxAbsPerChannel(x, l);
    for (float& s : scale) {
      s = (2.0f * s) / 3.0f;
      if (q.alpha_mode == Alpha::kAutoPo2) s = Po2Round(s);
    }
    for (int iter = 0; iter < q.number_of_unrolls; ++iter) {
      for (size_t i = 0; i < l.n; ++i) {
        const float thres = scale[i] / 2.0f;
        const float y = x[i] / scale[i];
        const float v = scale[i] * Ste(y, Rint(y));
        t[i] = (std::fabs(v) >= thres ? 1.0f : 0.0f) * Sign(x[i]);
      }
      scale =
          LeastSquaresScale(q.alpha_mode == Alpha::kAutoPo2, x, t, l, std::nullopt, std::nullopt);
    }
  } else {
    const auto thres = static_cast<float>(q.threshold.value_or(0.33));
    for (size_t i = 0; i < l.n; ++i) t[i] = (std::fabs(x[i]) >= thres ? 1.0f : 0.0f) * Sign(x[i]);
  }
  for (size_t i = 0; i < l.n; ++i) {
    const float xs = q.alpha_mode == Alpha::kNone ? RealTanh(x[i]) : x[i];
    out[i] = Ste(xs, scale[i] * t[i]);
    scale_out[i] = scale[i];
  }
}

StatusOr<FixedType> WithContext(StatusOr<FixedType> t, const std::string& where) {
  if (!t.ok()) return t.status().WithContext(where);
  return t;
}

}  // namespace

StatusOr<QKerasQuantizer> ParseQKerasQuantizer(const nlohmann::json& j, const std::string& where) {
  if (j.is_string()) return ParseString(j.get<std::string>(), where);
  if (j.is_object()) return ParseObject(j, where);
  return Bad(where,
             "a quantizer must be a string such as \"quantized_bits(6,0)\" or an object "
             "with 'class_name' and 'config', got " +
                 Quote(j.dump(-1, ' ', false, json::error_handler_t::replace)));
}

StatusOr<QKerasQuantized> QuantizeValuesAndScale(const QKerasQuantizer& q,
                                                 std::span<const double> x, int64_t channels,
                                                 const std::string& where) {
  if (q.stochastic) return Bad(where, "'use_stochastic_rounding' must be False");
  if (channels < 0) {
    return Bad(where, "the channel count must not be negative, got " + std::to_string(channels));
  }
  if (channels > 0 && x.size() % static_cast<size_t>(channels) != 0) {
    return Bad(where, std::to_string(x.size()) + " values do not split into channels of " +
                          std::to_string(channels));
  }
  Layout layout{x.size(), static_cast<size_t>(channels)};
  std::vector<float> xf(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    // K.cast_to_floatx: the nearest float32.
    const auto f = static_cast<float>(x[i]);
    if (!std::isfinite(f)) {
      return Bad(where, "value " + std::to_string(i) + " (" + FloatText(x[i]) +
                            ") is not a finite float32 value");
    }
    xf[i] = f;
  }
  std::vector<float> out(x.size());
  std::vector<float> scale(x.size(), 1.0f);
  switch (q.kind) {
    case Kind::kQuantizedBits:
      QuantizedBits(q, layout, xf, out, scale);
      break;
    case Kind::kQuantizedRelu:
      for (size_t i = 0; i < x.size(); ++i) out[i] = QuantizedRelu(q, xf[i]);
      break;
    case Kind::kQuantizedTanh:
      for (size_t i = 0; i < x.size(); ++i) out[i] = QuantizedTanh(q, xf[i]);
      break;
    case Kind::kQuantizedSigmoid:
      for (size_t i = 0; i < x.size(); ++i) out[i] = QuantizedSigmoid(q, xf[i]);
      break;
    case Kind::kQuantizedPo2: {
      const Po2Range r = Po2Exponents(q);
      for (size_t i = 0; i < x.size(); ++i) out[i] = QuantizedPo2(q, r, xf[i]);
      break;
    }
    case Kind::kQuantizedReluPo2: {
      const Po2Range r = Po2Exponents(q);
      for (size_t i = 0; i < x.size(); ++i) out[i] = QuantizedReluPo2(q, r, xf[i]);
      break;
    }
    case Kind::kBinary:
      Binary(q, layout, xf, out, scale);
      break;
    case Kind::kTernary:
      Ternary(q, layout, xf, out, scale);
      break;
  }
  QKerasQuantized result;
  result.values.assign(out.begin(), out.end());
  result.scale.assign(scale.begin(), scale.end());
  return result;
}

StatusOr<std::vector<double>> QuantizeValues(const QKerasQuantizer& q, std::span<const double> x,
                                             int64_t channels, const std::string& where) {
  FIRMNET_ASSIGN_OR_RETURN(QKerasQuantized r, QuantizeValuesAndScale(q, x, channels, where));
  return std::move(r.values);
}

StatusOr<FixedType> WeightType(const QKerasQuantizer& q, const std::string& where) {
  switch (q.kind) {
    case Kind::kQuantizedBits:
      // QKerasQuantizer._get_type: ap_fixed<bits, integer+1>, or ap_int<bits> when integer ==
      // bits (XNOR's ap_uint<1> for one bit, held here as ap_int<2>). keep_negative, symmetric
      // and alpha do not enter.
      if (q.bits == q.integer) {
        const int width = q.bits == 1 ? 2 : q.bits;
        return WithContext(MakeFixedType(width, width, true), where);
      }
      return WithContext(MakeFixedType(q.bits, q.integer + 1, true), where);
    case Kind::kBinary:
    case Kind::kTernary:
      return WithContext(MakeFixedType(2, 2, true), where);
    case Kind::kQuantizedPo2: {
      // Every value is +-2^e with e from the exponents QKeras can produce: min_exp for |x| below
      // K.epsilon() (0 when 2^min_exp underflows float32), and from round(log2(1e-7)) = -23 up
      // to the exponent of max_value (or max_exp, at most 127: 2^128 is inf in float32).
      const Po2Range r = Po2Exponents(q);
      const auto from_eps = static_cast<int64_t>(ClipPowerOfTwo(q, r, kEps));
      int64_t e_hi = std::min<int64_t>(r.max_exp, 127);
      if (q.max_value) {
        e_hi = static_cast<int64_t>(ClipPowerOfTwo(q, r, std::numeric_limits<float>::max()));
      }
      int64_t e_lo = std::min(from_eps, e_hi);
      if (r.min_exp >= -149) e_lo = std::min(e_lo, r.min_exp);
      const int64_t width = e_hi + 2 - e_lo;
      if (e_hi < -149 || width > FixedType::kMaxWidth) {
        return Bad(where, "no fixed-point type of at most 128 bits holds every value of " +
                              q.class_name + "(" + std::to_string(q.bits) + ") (2^" +
                              std::to_string(e_lo) + " to 2^" + std::to_string(e_hi) +
                              "); give it a max_value or fewer bits");
      }
      return WithContext(MakeFixedType(static_cast<int>(width), static_cast<int>(e_hi + 2), true),
                         where);
    }
    case Kind::kQuantizedRelu:
    case Kind::kQuantizedTanh:
    case Kind::kQuantizedSigmoid:
    case Kind::kQuantizedReluPo2:
      break;
  }
  return Bad(where, "hls4ml has no weight type for " + q.class_name +
                        " (its QKerasQuantizer falls back to ap_fixed<16,6>); quantize weights "
                        "with quantized_bits, quantized_po2, binary or ternary");
}

StatusOr<FixedType> ActivationType(const QKerasQuantizer& q, const std::string& where) {
  // hls4ml's _get_precision_from_quantizer.
  int bits = q.bits;
  int integer = 0;
  bool is_signed = true;
  Overflow overflow = Overflow::kSat;
  switch (q.kind) {
    case Kind::kQuantizedBits:
    case Kind::kQuantizedRelu:
      integer = q.integer + 1;
      break;
    case Kind::kQuantizedPo2:
    case Kind::kQuantizedReluPo2:
      integer = q.bits;  // no 'integer' in the config: bits - 1, plus one
      break;
    case Kind::kQuantizedTanh:
      integer = 1;
      if (q.symmetric) overflow = Overflow::kSatSym;
      break;
    case Kind::kQuantizedSigmoid:
      integer = 0;
      is_signed = false;
      break;
    case Kind::kBinary:
    case Kind::kTernary:
      bits = 2;
      integer = 2;
      break;
  }
  if ((q.kind == Kind::kQuantizedRelu || q.kind == Kind::kQuantizedReluPo2) &&
      q.negative_slope == 0.0) {
    is_signed = false;
    integer -= 1;
  }
  if (bits - integer > 0) {
    return WithContext(MakeFixedType(bits, integer, is_signed, Rounding::kRndConv, overflow),
                       where);
  }
  return WithContext(MakeFixedType(integer, integer, is_signed), where);
}

}  // namespace firmnet::keras
