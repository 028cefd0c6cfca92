#include "firmnet/backend/hls/hls_types.h"

#include <cctype>
#include <set>

namespace firmnet::backend::hls {

std::string CppType(const FixedType& t) {
  std::string s = t.is_signed ? "ap_fixed<" : "ap_ufixed<";
  s += std::to_string(t.width) + "," + std::to_string(t.int_bits);
  if (!t.has_default_modes()) {
    s += "," + std::string(RoundingName(t.rounding)) + "," + std::string(OverflowName(t.overflow));
    if (t.sat_bits != 0) s += "," + std::to_string(t.sat_bits);
  }
  return s + ">";
}

StatusOr<std::string> RawCType(const FixedType& t, const std::string& what) {
  if (t.width > 64) {
    return Unimplemented("HLS backend: " + what + " has type " + FormatFixedType(t) +
                         ", wider than 64 bits; constants are stored as 64-bit raw integers. "
                         "Use a type of at most 64 bits for it");
  }
  const int bits = t.width <= 8 ? 8 : t.width <= 16 ? 16 : t.width <= 32 ? 32 : 64;
  return std::string(t.is_signed ? "int" : "uint") + std::to_string(bits) + "_t";
}

std::string RawLiteral(const BigInt& raw, const FixedType& t) {
  if (t.width > 32) {
    // Spell 64-bit values so that no literal overflows (the most negative one included).
    if (t.is_signed) {
      const int64_t v = raw.ToInt64();
      if (v == INT64_MIN) return "(-INT64_C(9223372036854775807) - 1)";
      return "INT64_C(" + std::to_string(v) + ")";
    }
    return "UINT64_C(" + std::to_string(static_cast<uint64_t>(raw.ToInt64())) + ")";
  }
  const int64_t v = raw.ToInt64();
  if (t.is_signed && t.width == 32 && v == INT32_MIN) return "(-2147483647 - 1)";
  return std::to_string(v);
}

bool IsCIdentifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  static const std::set<std::string> kReserved = {
      "auto",     "bool",    "break",    "case",     "char",   "class",   "const",     "continue",
      "default",  "delete",  "do",       "double",   "else",   "enum",    "extern",    "float",
      "for",      "goto",    "if",       "inline",   "int",    "long",    "namespace", "new",
      "operator", "private", "public",   "register", "return", "short",   "signed",    "sizeof",
      "static",   "struct",  "switch",   "template", "this",   "typedef", "union",     "unsigned",
      "using",    "void",    "volatile", "while",    "main",   "fnet",    "hls"};
  return kReserved.count(s) == 0;
}

std::string CIdentifier(const std::string& name) {
  std::string out;
  for (char c : name) {
    out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  }
  while (!out.empty() && out[0] == '_') out.erase(0, 1);
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "layer_" + out;
  // Identifiers with "__" are reserved in C++.
  std::string clean;
  for (char c : out) {
    if (c == '_' && !clean.empty() && clean.back() == '_') continue;
    clean.push_back(c);
  }
  if (!clean.empty() && clean.back() == '_') clean.pop_back();
  if (!IsCIdentifier(clean)) clean = "layer_" + clean;
  return clean;
}

}  // namespace firmnet::backend::hls
