#include "firmnet/fixed/fixed_value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace firmnet {

// ---------------------------------------------------------------------------------------------
// BigInt
// ---------------------------------------------------------------------------------------------

BigInt::BigInt(int64_t v) {
  limbs_.fill(v < 0 ? ~uint64_t{0} : 0);
  limbs_[0] = static_cast<uint64_t>(v);
}

BigInt BigInt::FromUnsigned(uint64_t v) {
  BigInt b;
  b.limbs_[0] = v;
  return b;
}

BigInt BigInt::FromInt128(__int128 v) {
  BigInt b(v < 0 ? -1 : 0);
  b.limbs_[0] = static_cast<uint64_t>(v);
  b.limbs_[1] = static_cast<uint64_t>(static_cast<unsigned __int128>(v) >> 64);
  return b;
}

bool BigInt::IsZero() const {
  for (uint64_t l : limbs_) {
    if (l) return false;
  }
  return true;
}

bool BigInt::FitsSigned(int bits) const {
  if (bits >= kBits) return true;
  const BigInt top = *this >> (bits - 1);
  return top.IsZero() || top == BigInt(-1);
}

bool BigInt::FitsUnsigned(int bits) const {
  if (IsNegative()) return false;
  if (bits >= kBits - 1) return true;
  return (*this >> bits).IsZero();
}

__int128 BigInt::ToInt128() const {
  const unsigned __int128 u = (static_cast<unsigned __int128>(limbs_[1]) << 64) | limbs_[0];
  return static_cast<__int128>(u);
}

double BigInt::ToDouble() const {
  const bool neg = IsNegative();
  const BigInt mag = neg ? -*this : *this;
  int top = -1;
  for (int i = kLimbs - 1; i >= 0 && top < 0; --i) {
    if (mag.limbs_[i]) top = i * 64 + 63 - __builtin_clzll(mag.limbs_[i]);
  }
  if (top < 0) return 0.0;
  double d;
  if (top < 64) {
    d = static_cast<double>(mag.limbs_[0]);
  } else {
    // Take the top 64 bits and fold everything below into a sticky bit, so that the one
    // rounding of the uint64 -> double conversion is the correct one.
    const int shift = top - 63;
    const BigInt hi = mag >> shift;
    const BigInt lost = mag - (hi << shift);
    const uint64_t chunk = hi.limbs_[0] | (lost.IsZero() ? 0 : 1);
    d = std::ldexp(static_cast<double>(chunk), shift);
  }
  return neg ? -d : d;
}

BigInt BigInt::operator-() const { return ~*this + BigInt(1); }

BigInt BigInt::operator~() const {
  BigInt r;
  for (int i = 0; i < kLimbs; ++i) r.limbs_[i] = ~limbs_[i];
  return r;
}

BigInt BigInt::operator+(const BigInt& o) const {
  BigInt r;
  unsigned carry = 0;
  for (int i = 0; i < kLimbs; ++i) {
    const unsigned __int128 s = static_cast<unsigned __int128>(limbs_[i]) + o.limbs_[i] + carry;
    r.limbs_[i] = static_cast<uint64_t>(s);
    carry = static_cast<unsigned>(s >> 64);
  }
  return r;
}

BigInt BigInt::operator-(const BigInt& o) const { return *this + -o; }

BigInt BigInt::operator*(const BigInt& o) const {
  // Multiplication modulo 2^kBits is the same for two's complement and unsigned operands.
  BigInt r;
  for (int i = 0; i < kLimbs; ++i) {
    if (!limbs_[i]) continue;
    uint64_t carry = 0;
    for (int j = 0; i + j < kLimbs; ++j) {
      const unsigned __int128 p =
          static_cast<unsigned __int128>(limbs_[i]) * o.limbs_[j] + r.limbs_[i + j] + carry;
      r.limbs_[i + j] = static_cast<uint64_t>(p);
      carry = static_cast<uint64_t>(p >> 64);
    }
  }
  return r;
}

BigInt BigInt::operator<<(int n) const {
  FIRMNET_CHECK(n >= 0) << "negative shift " << n;
  BigInt r;
  if (n >= kBits) return r;
  const int limb = n / 64, bit = n % 64;
  for (int i = kLimbs - 1; i >= limb; --i) {
    uint64_t v = limbs_[i - limb] << bit;
    if (bit && i - limb - 1 >= 0) v |= limbs_[i - limb - 1] >> (64 - bit);
    r.limbs_[i] = v;
  }
  return r;
}

BigInt BigInt::operator>>(int n) const {
  FIRMNET_CHECK(n >= 0) << "negative shift " << n;
  const uint64_t fill = IsNegative() ? ~uint64_t{0} : 0;
  BigInt r;
  if (n >= kBits) {
    r.limbs_.fill(fill);
    return r;
  }
  const int limb = n / 64, bit = n % 64;
  for (int i = 0; i < kLimbs; ++i) {
    const int src = i + limb;
    const uint64_t lo = src < kLimbs ? limbs_[src] : fill;
    const uint64_t hi = src + 1 < kLimbs ? limbs_[src + 1] : fill;
    r.limbs_[i] = bit ? (lo >> bit) | (hi << (64 - bit)) : lo;
  }
  return r;
}

BigInt BigInt::operator&(const BigInt& o) const {
  BigInt r;
  for (int i = 0; i < kLimbs; ++i) r.limbs_[i] = limbs_[i] & o.limbs_[i];
  return r;
}

BigInt BigInt::operator|(const BigInt& o) const {
  BigInt r;
  for (int i = 0; i < kLimbs; ++i) r.limbs_[i] = limbs_[i] | o.limbs_[i];
  return r;
}

BigInt BigInt::PowerOfTwo(int n) {
  FIRMNET_CHECK(n >= 0 && n < kBits - 1) << "2^" << n << " does not fit";
  BigInt r;
  r.limbs_[n / 64] = uint64_t{1} << (n % 64);
  return r;
}

BigInt BigInt::Truncate(int bits, bool sign_extend) const {
  if (bits >= kBits) return *this;
  const BigInt low = *this & (PowerOfTwo(bits) - BigInt(1));
  if (sign_extend && low.Bit(bits - 1)) return low - PowerOfTwo(bits);
  return low;
}

bool operator<(const BigInt& a, const BigInt& b) {
  const bool na = a.IsNegative(), nb = b.IsNegative();
  if (na != nb) return na;
  for (int i = BigInt::kLimbs - 1; i >= 0; --i) {
    if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] < b.limbs_[i];
  }
  return false;
}

namespace {

// Magnitude in base 1e9, least significant first.
using Decimal = std::vector<uint32_t>;
constexpr uint32_t kDecBase = 1000000000;

void DecMulSmall(Decimal& d, uint32_t m, uint32_t add = 0) {
  uint64_t carry = add;
  for (auto& x : d) {
    const uint64_t v = static_cast<uint64_t>(x) * m + carry;
    x = static_cast<uint32_t>(v % kDecBase);
    carry = v / kDecBase;
  }
  while (carry) {
    d.push_back(static_cast<uint32_t>(carry % kDecBase));
    carry /= kDecBase;
  }
}

Decimal DecFromMagnitude(const BigInt& mag) {
  Decimal d{0};
  for (int bit = BigInt::kBits - 1; bit >= 0; --bit) {
    if (d.size() == 1 && d[0] == 0 && !mag.Bit(bit)) continue;
    DecMulSmall(d, 2, mag.Bit(bit) ? 1 : 0);
  }
  return d;
}

std::string DecToString(const Decimal& d) {
  std::string s = std::to_string(d.back());
  for (int i = static_cast<int>(d.size()) - 2; i >= 0; --i) {
    std::string part = std::to_string(d[i]);
    s += std::string(9 - part.size(), '0') + part;
  }
  return s;
}

}  // namespace

std::string BigInt::ToDecimal() const {
  const bool neg = IsNegative();
  return (neg ? "-" : "") + DecToString(DecFromMagnitude(neg ? -*this : *this));
}

std::string BigInt::ToHex() const {
  const bool neg = IsNegative();
  const BigInt mag = neg ? -*this : *this;
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (int nib = kBits / 4 - 1; nib >= 0; --nib) {
    const int v = static_cast<int>((mag.limbs_[nib / 16] >> ((nib % 16) * 4)) & 0xf);
    if (v || !s.empty()) s.push_back(kDigits[v]);
  }
  if (s.empty()) s = "0";
  return (neg ? "-0x" : "0x") + s;
}

// ---------------------------------------------------------------------------------------------
// Quantization and overflow: one implementation, instantiated for BigInt and __int128.
// ---------------------------------------------------------------------------------------------

namespace {

// Operations the cast needs, for each representation.
struct BigOps {
  using T = BigInt;
  static T Zero() { return BigInt(); }
  static T One() { return BigInt(1); }
  static T Pow2(int n) { return BigInt::PowerOfTwo(n); }
  static bool Neg(const T& v) { return v.IsNegative(); }
  static bool IsZero(const T& v) { return v.IsZero(); }
  static bool Odd(const T& v) { return v.Bit(0); }
  static bool FitsS(const T& v, int bits) { return v.FitsSigned(bits); }
  static bool FitsU(const T& v, int bits) { return v.FitsUnsigned(bits); }
  static T Trunc(const T& v, int bits, bool sext) { return v.Truncate(bits, sext); }
  // Largest shifts that keep the rules exact for sources of up to kSrcBits bits.
  static constexpr int kSrcBits = 2 * FixedType::kMaxWidth + 4;
};

struct I128Ops {
  using T = __int128;
  static T Zero() { return 0; }
  static T One() { return 1; }
  static T Pow2(int n) { return static_cast<T>(1) << n; }
  static bool Neg(T v) { return v < 0; }
  static bool IsZero(T v) { return v == 0; }
  static bool Odd(T v) { return v & 1; }
  static bool FitsS(T v, int bits) {
    const T lim = Pow2(bits - 1);
    return v >= -lim && v < lim;
  }
  static bool FitsU(T v, int bits) { return v >= 0 && v < Pow2(bits); }
  static T Trunc(T v, int bits, bool sext) {
    const T low = v & (Pow2(bits) - 1);
    if (sext && ((low >> (bits - 1)) & 1)) return low - Pow2(bits);
    return low;
  }
  static constexpr int kSrcBits = 64;
};

template <typename Ops>
typename Ops::T CastImpl(const typename Ops::T& src, int src_exponent, const FixedType& to,
                         OverflowEvent* event) {
  using T = typename Ops::T;
  if (event) *event = OverflowEvent::kNone;
  const int64_t d = static_cast<int64_t>(src_exponent) - to.lsb_exponent();
  T q;
  if (d >= 0) {
    // More fractional bits than needed: exact. A shift past width+1 overflows any nonzero value
    // just as the real shift would, so clamp it to keep the arithmetic in range.
    const int shift = static_cast<int>(std::min<int64_t>(d, to.width + 2));
    q = Ops::IsZero(src) ? Ops::Zero() : static_cast<T>(src << shift);
  } else {
    // Dropping r fractional bits. For r >= kSrcBits + 2 the source is below half an lsb in
    // magnitude, and every rounding decision below is the same as for r = kSrcBits + 2.
    const int r = static_cast<int>(std::min<int64_t>(-d, Ops::kSrcBits + 2));
    q = src >> r;                  // floor
    const T rem = src - (q << r);  // in [0, 2^r)
    const T half = Ops::Pow2(r - 1);
    const bool exact = Ops::IsZero(rem);
    const bool above = rem > half, tie = rem == half;
    bool up = false;  // whether to add one lsb to the floor
    switch (to.rounding) {
      case Rounding::kTrn:
        up = false;
        break;
      case Rounding::kTrnZero:
        up = !exact && Ops::Neg(src);
        break;
      case Rounding::kRnd:
        up = above || tie;
        break;
      case Rounding::kRndZero:
        up = above || (tie && Ops::Neg(q));
        break;
      case Rounding::kRndMinInf:
        up = above;
        break;
      case Rounding::kRndInf:
        up = above || (tie && !Ops::Neg(q));
        break;
      case Rounding::kRndConv:
        up = above || (tie && Ops::Odd(q));
        break;
    }
    if (up) q = q + Ops::One();
  }
  const int w = to.width;
  const bool fits = to.is_signed ? Ops::FitsS(q, w) : Ops::FitsU(q, w);
  const bool neg = Ops::Neg(q);
  if (fits) {
    // AP_SAT_SYM keeps signed results symmetric: the most negative value becomes -max.
    if (to.overflow == Overflow::kSatSym && to.is_signed && q == -Ops::Pow2(w - 1)) {
      if (event) *event = OverflowEvent::kSaturated;
      return q + Ops::One();
    }
    return q;
  }
  const T max = to.is_signed ? Ops::Pow2(w - 1) - Ops::One() : Ops::Pow2(w) - Ops::One();
  const T min = to.is_signed ? -Ops::Pow2(w - 1) : Ops::Zero();
  switch (to.overflow) {
    case Overflow::kWrap: {
      if (event) *event = OverflowEvent::kWrapped;
      T low = Ops::Trunc(q, w, false);  // unsigned low w bits
      if (to.sat_bits > 0) {
        // The top N bits saturate: to the sign for signed types, to all ones on a positive
        // (and zeros on a negative) overflow for unsigned types.
        const int n = to.sat_bits;
        const T top_mask = Ops::Pow2(w) - Ops::Pow2(w - n);
        const bool ones = to.is_signed ? neg : !neg;
        low = ones ? (low | top_mask) : (low & ~top_mask);
      }
      return to.is_signed ? Ops::Trunc(low, w, true) : low;
    }
    case Overflow::kSat:
      if (event) *event = OverflowEvent::kSaturated;
      return neg ? min : max;
    case Overflow::kSatZero:
      if (event) *event = OverflowEvent::kSaturated;
      return Ops::Zero();
    case Overflow::kSatSym:
      if (event) *event = OverflowEvent::kSaturated;
      return neg ? (to.is_signed ? -max : Ops::Zero()) : max;
  }
  return q;
}

// v = mantissa * 2^exponent exactly, with |mantissa| < 2^53. Infinities map to a value far past
// any type's range (the overflow rule then decides), NaN to zero.
void SplitDouble(double v, int64_t& mantissa, int& exponent) {
  if (std::isnan(v) || v == 0.0) {
    mantissa = 0;
    exponent = 0;
    return;
  }
  if (std::isinf(v)) {
    mantissa = v > 0 ? 1 : -1;
    exponent = 4096;
    return;
  }
  int e = 0;
  const double m = std::frexp(v, &e);  // v = m * 2^e, 0.5 <= |m| < 1
  mantissa = static_cast<int64_t>(std::ldexp(m, 53));
  exponent = e - 53;
}

}  // namespace

BigInt Cast(const BigInt& src, int src_exponent, const FixedType& to, OverflowEvent* event) {
  FIRMNET_CHECK(src.FitsSigned(BigOps::kSrcBits))
      << "Cast source wider than " << BigOps::kSrcBits << " bits";
  return CastImpl<BigOps>(src, src_exponent, to, event);
}

int64_t Cast64(int64_t src, int src_exponent, const FixedType& to, OverflowEvent* event) {
  // The emulator's common casts (AP_TRN or AP_RND, plain AP_WRAP or AP_SAT, dropping 0..62
  // bits) in plain int64 arithmetic: |src| < 2^61 leaves room for the rounding half. Same results
  // and events as CastImpl; the fixed_value tests compare the two on random casts.
  const int shift = to.lsb_exponent() - src_exponent;
  const bool rnd = to.rounding == Rounding::kRnd;
  const bool sat = to.overflow == Overflow::kSat;
  if ((rnd || to.rounding == Rounding::kTrn) &&
      (sat || (to.overflow == Overflow::kWrap && to.sat_bits == 0)) && shift >= 0 && shift <= 62 &&
      to.width <= 62 && src < (int64_t{1} << 61) && src > -(int64_t{1} << 61)) {
    const int64_t half = rnd && shift > 0 ? int64_t{1} << (shift - 1) : 0;
    const int64_t q = (src + half) >> shift;
    const int64_t lo = to.is_signed ? -(int64_t{1} << (to.width - 1)) : 0;
    const int64_t hi = (int64_t{1} << (to.width - (to.is_signed ? 1 : 0))) - 1;
    if (q >= lo && q <= hi) {
      if (event) *event = OverflowEvent::kNone;
      return q;
    }
    if (sat) {
      if (event) *event = OverflowEvent::kSaturated;
      return q < lo ? lo : hi;
    }
    if (event) *event = OverflowEvent::kWrapped;
    const int drop = 64 - to.width;
    const uint64_t low = static_cast<uint64_t>(q) << drop;
    return to.is_signed ? static_cast<int64_t>(low) >> drop : static_cast<int64_t>(low >> drop);
  }
  return static_cast<int64_t>(CastImpl<I128Ops>(src, src_exponent, to, event));
}

BigInt QuantizeDouble(double v, const FixedType& to, OverflowEvent* event) {
  int64_t mantissa;
  int exponent;
  SplitDouble(v, mantissa, exponent);
  return Cast(BigInt(mantissa), exponent, to, event);
}

double RoundToDecimalPlaces(double v, int digits) {
  FIRMNET_CHECK(digits >= 0) << "digits " << digits;
  // A double's exact decimal expansion has at most 1074 digits after the point: beyond that the
  // rounding changes nothing.
  if (!std::isfinite(v) || digits > 1074) return v;
  // printf's "%.*f" then strtod (numpy's savetxt, then the C++ parser): std::to_chars in fixed
  // form rounds the exact binary value as printf does, and from_chars reads back as strtod, both
  // correctly rounded, several times faster (a 1 M-weight model quantizes every weight).
  // Sign, up to 309 integer digits, the point, the fraction and the terminator.
  std::vector<char> buf(static_cast<size_t>(digits) + 320);
  const auto printed =
      std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, digits);
  FIRMNET_CHECK(printed.ec == std::errc()) << "to_chars of " << v;
  *printed.ptr = '\0';
  double out = 0;
  const auto read = std::from_chars(buf.data(), printed.ptr, out);
  // from_chars refuses a decimal that rounds to zero or past the subnormals; strtod takes it.
  if (read.ec != std::errc() || read.ptr != printed.ptr) return std::strtod(buf.data(), nullptr);
  return out;
}

BigInt QuantizeWeight(double v, const FixedType& to, OverflowEvent* event) {
  return QuantizeDouble(RoundToDecimalPlaces(v, std::max(0, to.frac_bits())), to, event);
}

int64_t QuantizeDouble64(double v, const FixedType& to, OverflowEvent* event) {
  int64_t mantissa;
  int exponent;
  SplitDouble(v, mantissa, exponent);
  return Cast64(mantissa, exponent, to, event);
}

double ToDouble(const BigInt& raw, const FixedType& t) {
  return std::ldexp(raw.ToDouble(), t.lsb_exponent());
}

double ToDouble(int64_t raw, const FixedType& t) {
  return std::ldexp(static_cast<double>(raw), t.lsb_exponent());
}

std::string ToExactDecimal(const BigInt& raw, const FixedType& t) {
  const bool neg = raw.IsNegative();
  Decimal d = DecFromMagnitude(neg ? -raw : raw);
  const int e = t.lsb_exponent();
  int frac_digits = 0;
  if (e >= 0) {
    for (int i = 0; i < e; ++i) DecMulSmall(d, 2);
  } else {
    // raw / 2^k = raw * 5^k / 10^k
    for (int i = 0; i < -e; ++i) DecMulSmall(d, 5);
    frac_digits = -e;
  }
  std::string digits = DecToString(d);
  std::string out;
  if (frac_digits == 0) {
    out = digits;
  } else {
    if (static_cast<int>(digits.size()) <= frac_digits) {
      digits = std::string(frac_digits - digits.size() + 1, '0') + digits;
    }
    std::string int_part = digits.substr(0, digits.size() - frac_digits);
    std::string frac_part = digits.substr(digits.size() - frac_digits);
    while (!frac_part.empty() && frac_part.back() == '0') frac_part.pop_back();
    out = frac_part.empty() ? int_part : int_part + "." + frac_part;
  }
  if (neg && out != "0") out = "-" + out;
  return out;
}

}  // namespace firmnet
