// Exact fixed-point values and the one implementation of quantization and overflow.
//
// BigInt is a 512-bit two's complement integer: enough for the exact product of two 128-bit
// values, sums of them, and the alignment shifts a cast needs. Cast() applies a target type's
// rounding and overflow rules to an exact value raw * 2^exponent; QuantizeDouble() does the same
// for a double (exactly: the double is first turned into an exact value). These two functions are
// the numeric truth that the emulator, the HLS headers and the Verilog backend are checked against.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "firmnet/fixed/fixed_type.h"

namespace firmnet {

class BigInt {
 public:
  static constexpr int kLimbs = 8;
  static constexpr int kBits = 64 * kLimbs;

  BigInt() { limbs_.fill(0); }
  explicit BigInt(int64_t v);
  static BigInt FromUnsigned(uint64_t v);
  static BigInt FromInt128(__int128 v);

  bool IsNegative() const { return (limbs_[kLimbs - 1] >> 63) != 0; }
  bool IsZero() const;
  // True when the value fits in `bits` bits as a signed (two's complement) integer.
  bool FitsSigned(int bits) const;
  // True when 0 <= value < 2^bits.
  bool FitsUnsigned(int bits) const;
  bool Bit(int i) const { return (limbs_[i / 64] >> (i % 64)) & 1; }
  uint64_t Limb(int i) const { return limbs_[i]; }
  int64_t ToInt64() const { return static_cast<int64_t>(limbs_[0]); }  // low 64 bits
  __int128 ToInt128() const;                                           // low 128 bits
  double ToDouble() const;                                             // nearest double

  BigInt operator-() const;
  BigInt operator~() const;
  BigInt operator+(const BigInt& o) const;
  BigInt operator-(const BigInt& o) const;
  BigInt operator*(const BigInt& o) const;  // truncated to kBits
  BigInt operator<<(int n) const;           // 0 <= n < kBits
  BigInt operator>>(int n) const;           // arithmetic; 0 <= n
  BigInt operator&(const BigInt& o) const;
  BigInt operator|(const BigInt& o) const;
  // Keeps the low `bits` bits; sign-extends from bit bits-1 when `sign_extend`.
  BigInt Truncate(int bits, bool sign_extend) const;
  static BigInt PowerOfTwo(int n);  // 2^n, 0 <= n < kBits-1

  friend bool operator==(const BigInt& a, const BigInt& b) { return a.limbs_ == b.limbs_; }
  friend bool operator<(const BigInt& a, const BigInt& b);
  friend bool operator<=(const BigInt& a, const BigInt& b) { return !(b < a); }
  friend bool operator>(const BigInt& a, const BigInt& b) { return b < a; }
  friend bool operator>=(const BigInt& a, const BigInt& b) { return !(a < b); }

  std::string ToDecimal() const;
  std::string ToHex() const;  // two's complement, minimal digits, e.g. "-0x1f" for -31

 private:
  std::array<uint64_t, kLimbs> limbs_;
};

// What a cast did to the value, for the emulator's overflow counters.
enum class OverflowEvent : uint8_t { kNone, kWrapped, kSaturated };

// Casts the exact value src * 2^src_exponent to `to`, returning the raw integer of the result
// (|raw| < 2^to.width, sign-extended when signed). `event` (optional) says whether the overflow
// rule changed the value. src must fit in 2*FixedType::kMaxWidth + 2 bits.
BigInt Cast(const BigInt& src, int src_exponent, const FixedType& to,
            OverflowEvent* event = nullptr);

// Quantizes a finite double exactly (the double's exact binary value, then Q and O). NaN maps to
// 0 and infinities to the overflow rule's result for a huge value; callers that read user data
// reject non-finite values before this.
BigInt QuantizeDouble(double v, const FixedType& to, OverflowEvent* event = nullptr);

// The value hls4ml's generated firmware holds for a trained weight `v` (a weight, bias or
// batchnorm scale/bias) of type `to`. hls4ml writes such constants into the project as decimals
// with max(0, F) digits after the point, F = to.frac_bits() (Python's '{:.Ff}': round half to
// even on the exact binary value), and the C++ code converts that decimal to `to` (nearest
// double, then `to`'s Q and O). For F >= 10 this differs from QuantizeDouble(v) only for values
// within 0.5e-F below a multiple of the lsb; for an integer type it rounds to nearest instead of
// truncating (docs/semantics.md, "Weights").
BigInt QuantizeWeight(double v, const FixedType& to, OverflowEvent* event = nullptr);
// `v` rounded to `digits` decimal places as printf("%.*f") and Python's '{:.*f}' do (exact,
// ties to even), read back as the nearest double. digits >= 0.
double RoundToDecimalPlaces(double v, int digits);

// raw * 2^t.lsb_exponent() as the nearest double (exact when the value has <= 53 significant bits).
double ToDouble(const BigInt& raw, const FixedType& t);
double ToDouble(int64_t raw, const FixedType& t);

// The exact decimal expansion of raw * 2^t.lsb_exponent() (every binary fraction has a finite
// decimal one), e.g. "-1.375". Parsing it back with QuantizeDouble gives the same raw whenever
// the value has <= 53 significant bits.
std::string ToExactDecimal(const BigInt& raw, const FixedType& t);

// Fast path: the same rules as Cast() on 64-bit integers. Valid when src fits in 64 bits,
// to.width <= 62 and |src_exponent - to.lsb_exponent()| <= 62. The emulator uses it in inner loops;
// tests check it against Cast().
int64_t Cast64(int64_t src, int src_exponent, const FixedType& to, OverflowEvent* event = nullptr);
// QuantizeDouble for to.width <= 62, on the fast path.
int64_t QuantizeDouble64(double v, const FixedType& to, OverflowEvent* event = nullptr);

}  // namespace firmnet
