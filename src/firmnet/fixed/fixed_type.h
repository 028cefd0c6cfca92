// FixedType: the description of one ap_fixed / ap_ufixed / ap_int / ap_uint type.
//
// A value of type T is an integer `raw` of T.width bits (two's complement when signed) scaled by
// 2^T.lsb_exponent(), where lsb_exponent() = int_bits - width. int_bits may be negative or larger
// than width. The rules for quantization (Rounding) and overflow (Overflow) are those of AMD
// UG1399 and are written down in docs/semantics.md; fixed/fixed_value.h implements them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "firmnet/common/status.h"

namespace firmnet {

enum class Rounding : uint8_t {
  kTrn,        // AP_TRN: toward minus infinity (default)
  kTrnZero,    // AP_TRN_ZERO: toward zero
  kRnd,        // AP_RND: to nearest, ties toward plus infinity
  kRndZero,    // AP_RND_ZERO: to nearest, ties toward zero
  kRndMinInf,  // AP_RND_MIN_INF: to nearest, ties toward minus infinity
  kRndInf,     // AP_RND_INF: to nearest, ties away from zero
  kRndConv,    // AP_RND_CONV: to nearest, ties to even
};
inline constexpr int kNumRoundings = 7;

enum class Overflow : uint8_t {
  kWrap,     // AP_WRAP: keep the low bits (with sat_bits > 0, the top N bits saturate)
  kSat,      // AP_SAT: clamp to [min, max]
  kSatZero,  // AP_SAT_ZERO: zero on overflow
  kSatSym,   // AP_SAT_SYM: clamp to [-max, max] (signed), [0, max] (unsigned)
};
inline constexpr int kNumOverflows = 4;

// "AP_TRN", "AP_SAT", ... (the vendor's spelling).
std::string_view RoundingName(Rounding r);
std::string_view OverflowName(Overflow o);
// The mode named "TRN" / "AP_TRN", "SAT" / "AP_SAT", ...; nullopt for any other text.
std::optional<Rounding> ParseRounding(std::string_view name);
std::optional<Overflow> ParseOverflow(std::string_view name);

struct FixedType {
  static constexpr int kMaxWidth = 128;

  int width = 16;
  int int_bits = 6;
  bool is_signed = true;
  Rounding rounding = Rounding::kTrn;
  Overflow overflow = Overflow::kWrap;
  int sat_bits = 0;  // N: saturation bits for AP_WRAP

  int frac_bits() const { return width - int_bits; }
  // value = raw * 2^lsb_exponent()
  int lsb_exponent() const { return int_bits - width; }
  bool is_integer() const { return int_bits == width; }
  bool has_default_modes() const {
    return rounding == Rounding::kTrn && overflow == Overflow::kWrap && sat_bits == 0;
  }
  // Smallest and largest representable values, as doubles (exact for width <= 53).
  double MinValue() const;
  double MaxValue() const;
  double Lsb() const;

  friend bool operator==(const FixedType&, const FixedType&) = default;
};

// Builds a FixedType, checking the ranges: 1 <= width <= 128, 0 <= sat_bits <= width.
StatusOr<FixedType> MakeFixedType(int width, int int_bits, bool is_signed,
                                  Rounding rounding = Rounding::kTrn,
                                  Overflow overflow = Overflow::kWrap, int sat_bits = 0);

// Parses every spelling users write:
//   ap_fixed<16,6>  ap_fixed<16,6,AP_RND,AP_SAT>  ap_fixed<16,6,AP_RND,AP_WRAP,2>
//   fixed<16,6,RND,SAT>  ap_ufixed<8,0>  ufixed<...>  ap_int<8>  int<8>  ap_uint<8>  uint<8>
// White space is ignored. The error message quotes the text and says what is wrong.
StatusOr<FixedType> ParseFixedType(std::string_view text);

// Canonical spelling: ap_fixed<16,6> / ap_ufixed<8,0,AP_RND,AP_SAT> / ap_int<8> / ap_uint<8>;
// modes are printed only when they differ from the defaults, N only when nonzero.
std::string FormatFixedType(const FixedType& t);

// Result types of exact arithmetic, as in the vendor's ap_fixed (UG1399):
//   a*b: width wa+wb, int_bits ia+ib, signed if either is.
//   a+b: one more integer bit than the wider operand (after aligning a signed with an unsigned
//        operand), fractional bits max(fa, fb).
// Both keep the default modes.
FixedType ProductType(const FixedType& a, const FixedType& b);
FixedType SumType(const FixedType& a, const FixedType& b);

}  // namespace firmnet
