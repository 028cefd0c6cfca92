#include "firmnet/fixed/fixed_type.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

namespace firmnet {
namespace {

struct ModeName {
  std::string_view name;  // without the AP_ prefix
  int value;
};

constexpr std::array<ModeName, kNumRoundings> kRoundingNames = {{
    {"TRN", static_cast<int>(Rounding::kTrn)},
    {"TRN_ZERO", static_cast<int>(Rounding::kTrnZero)},
    {"RND", static_cast<int>(Rounding::kRnd)},
    {"RND_ZERO", static_cast<int>(Rounding::kRndZero)},
    {"RND_MIN_INF", static_cast<int>(Rounding::kRndMinInf)},
    {"RND_INF", static_cast<int>(Rounding::kRndInf)},
    {"RND_CONV", static_cast<int>(Rounding::kRndConv)},
}};

constexpr std::array<ModeName, kNumOverflows> kOverflowNames = {{
    {"WRAP", static_cast<int>(Overflow::kWrap)},
    {"SAT", static_cast<int>(Overflow::kSat)},
    {"SAT_ZERO", static_cast<int>(Overflow::kSatZero)},
    {"SAT_SYM", static_cast<int>(Overflow::kSatSym)},
}};

constexpr std::array<std::string_view, kNumRoundings> kRoundingSpelling = {
    "AP_TRN",         "AP_TRN_ZERO", "AP_RND",     "AP_RND_ZERO",
    "AP_RND_MIN_INF", "AP_RND_INF",  "AP_RND_CONV"};
constexpr std::array<std::string_view, kNumOverflows> kOverflowSpelling = {
    "AP_WRAP", "AP_SAT", "AP_SAT_ZERO", "AP_SAT_SYM"};

std::string Trim(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

template <size_t N>
std::optional<int> FindMode(const std::array<ModeName, N>& names, std::string_view text) {
  if (text.starts_with("AP_")) text.remove_prefix(3);
  for (const auto& m : names) {
    if (m.name == text) return m.value;
  }
  return std::nullopt;
}

template <size_t N>
std::string ModeList(const std::array<std::string_view, N>& spellings) {
  std::string out;
  for (size_t i = 0; i < N; ++i) out += (i ? ", " : "") + std::string(spellings[i]);
  return out;
}

std::optional<int> ParseInt(std::string_view s) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string_view RoundingName(Rounding r) { return kRoundingSpelling[static_cast<int>(r)]; }
std::string_view OverflowName(Overflow o) { return kOverflowSpelling[static_cast<int>(o)]; }

std::optional<Rounding> ParseRounding(std::string_view name) {
  const auto m = FindMode(kRoundingNames, name);
  return m ? std::optional<Rounding>(static_cast<Rounding>(*m)) : std::nullopt;
}

std::optional<Overflow> ParseOverflow(std::string_view name) {
  const auto m = FindMode(kOverflowNames, name);
  return m ? std::optional<Overflow>(static_cast<Overflow>(*m)) : std::nullopt;
}

double FixedType::MinValue() const { return is_signed ? -std::ldexp(1.0, int_bits - 1) : 0.0; }

double FixedType::MaxValue() const {
  const int w = is_signed ? width - 1 : width;
  return std::ldexp(std::ldexp(1.0, w) - 1.0, lsb_exponent());
}

double FixedType::Lsb() const { return std::ldexp(1.0, lsb_exponent()); }

StatusOr<FixedType> MakeFixedType(int width, int int_bits, bool is_signed, Rounding rounding,
                                  Overflow overflow, int sat_bits) {
  if (width < 1 || width > FixedType::kMaxWidth) {
    return InvalidArgument("width " + std::to_string(width) + " is out of range (1 to " +
                           std::to_string(FixedType::kMaxWidth) + ")");
  }
  // Integer bits may be negative or exceed the width, within a sane bound on the exponent.
  if (int_bits < -1024 || int_bits > 1024) {
    return InvalidArgument("integer bits " + std::to_string(int_bits) +
                           " are out of range (-1024 to 1024)");
  }
  if (sat_bits < 0 || sat_bits > width) {
    return InvalidArgument("saturation bits N=" + std::to_string(sat_bits) +
                           " are out of range (0 to the width " + std::to_string(width) + ")");
  }
  if (sat_bits > 0 && overflow != Overflow::kWrap) {
    return InvalidArgument("saturation bits N apply only to AP_WRAP, not " +
                           std::string(OverflowName(overflow)));
  }
  return FixedType{width, int_bits, is_signed, rounding, overflow, sat_bits};
}

StatusOr<FixedType> ParseFixedType(std::string_view text) {
  const std::string s = Trim(text);
  auto fail = [&](const std::string& why) -> Status {
    return InvalidArgument("invalid fixed-point type '" + std::string(text) + "': " + why);
  };
  const size_t lt = s.find('<');
  if (lt == std::string::npos || s.empty() || s.back() != '>') {
    return fail("expected a form like ap_fixed<16,6>, fixed<16,6,RND,SAT>, ap_int<8> or uint<8>");
  }
  const std::string kind = s.substr(0, lt);
  std::vector<std::string> args;
  {
    std::string cur;
    for (size_t i = lt + 1; i + 1 < s.size(); ++i) {
      if (s[i] == ',') {
        args.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(s[i]);
      }
    }
    args.push_back(cur);
  }
  bool is_fixed;
  bool is_signed;
  if (kind == "ap_fixed" || kind == "fixed") {
    is_fixed = true;
    is_signed = true;
  } else if (kind == "ap_ufixed" || kind == "ufixed") {
    is_fixed = true;
    is_signed = false;
  } else if (kind == "ap_int" || kind == "int") {
    is_fixed = false;
    is_signed = true;
  } else if (kind == "ap_uint" || kind == "uint") {
    is_fixed = false;
    is_signed = false;
  } else {
    return fail("unknown type name '" + kind +
                "' (expected ap_fixed, ap_ufixed, fixed, ufixed, ap_int, ap_uint, int or uint)");
  }
  for (const auto& a : args) {
    if (a.empty()) return fail("empty parameter");
  }
  auto width = ParseInt(args[0]);
  if (!width) return fail("width '" + args[0] + "' is not an integer");
  if (!is_fixed) {
    if (args.size() != 1) return fail(kind + " takes exactly one parameter (the width)");
    auto t = MakeFixedType(*width, *width, is_signed);
    if (!t.ok()) return fail(t.status().message());
    return t;
  }
  if (args.size() < 2 || args.size() > 5) {
    return fail(kind + " takes 2 to 5 parameters: width, integer bits, quantization, overflow, N");
  }
  auto int_bits = ParseInt(args[1]);
  if (!int_bits) return fail("integer bits '" + args[1] + "' is not an integer");
  Rounding rounding = Rounding::kTrn;
  Overflow overflow = Overflow::kWrap;
  int sat_bits = 0;
  if (args.size() >= 3) {
    auto q = FindMode(kRoundingNames, args[2]);
    if (!q) {
      return fail("unknown quantization mode '" + args[2] + "' (expected one of " +
                  ModeList(kRoundingSpelling) + ", with or without the AP_ prefix)");
    }
    rounding = static_cast<Rounding>(*q);
  }
  if (args.size() >= 4) {
    auto o = FindMode(kOverflowNames, args[3]);
    if (!o) {
      return fail("unknown overflow mode '" + args[3] + "' (expected one of " +
                  ModeList(kOverflowSpelling) + ", with or without the AP_ prefix)");
    }
    overflow = static_cast<Overflow>(*o);
  }
  if (args.size() == 5) {
    auto n = ParseInt(args[4]);
    if (!n) return fail("saturation bits '" + args[4] + "' is not an integer");
    sat_bits = *n;
  }
  auto t = MakeFixedType(*width, *int_bits, is_signed, rounding, overflow, sat_bits);
  if (!t.ok()) return fail(t.status().message());
  return t;
}

std::string FormatFixedType(const FixedType& t) {
  if (t.is_integer() && t.has_default_modes()) {
    return std::string(t.is_signed ? "ap_int<" : "ap_uint<") + std::to_string(t.width) + ">";
  }
  std::string s = std::string(t.is_signed ? "ap_fixed<" : "ap_ufixed<") + std::to_string(t.width) +
                  "," + std::to_string(t.int_bits);
  if (!t.has_default_modes()) {
    s += "," + std::string(RoundingName(t.rounding));
    if (t.overflow != Overflow::kWrap || t.sat_bits != 0) {
      s += "," + std::string(OverflowName(t.overflow));
      if (t.sat_bits != 0) s += "," + std::to_string(t.sat_bits);
    }
  }
  return s + ">";
}

FixedType ProductType(const FixedType& a, const FixedType& b) {
  FixedType t;
  t.width = a.width + b.width;
  t.int_bits = a.int_bits + b.int_bits;
  t.is_signed = a.is_signed || b.is_signed;
  return t;
}

FixedType SumType(const FixedType& a, const FixedType& b) {
  FixedType t;
  const int ia = a.int_bits + (b.is_signed && !a.is_signed ? 1 : 0);
  const int ib = b.int_bits + (a.is_signed && !b.is_signed ? 1 : 0);
  t.int_bits = std::max(ia, ib) + 1;
  t.width = t.int_bits + std::max(a.frac_bits(), b.frac_bits());
  t.is_signed = a.is_signed || b.is_signed;
  return t;
}

}  // namespace firmnet
