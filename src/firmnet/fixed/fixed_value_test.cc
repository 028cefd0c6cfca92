// Exhaustive and random checks of the fixed-point core against independent references.
#include "firmnet/fixed/fixed_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

namespace firmnet {
namespace {

// Independent reference for small types: every value here is exact in a double, so rounding is
// done with floor() on the scaled value and overflow with plain integer arithmetic.
struct RefResult {
  int64_t raw;
  OverflowEvent event;
};

RefResult Reference(double v, const FixedType& t) {
  const double s = std::ldexp(v, -t.lsb_exponent());  // exact
  const double fl = std::floor(s);
  const double frac = s - fl;
  double q = fl;
  switch (t.rounding) {
    case Rounding::kTrn:
      break;
    case Rounding::kTrnZero:
      q = (v < 0 && frac > 0) ? fl + 1 : fl;
      break;
    case Rounding::kRnd:
      q = frac >= 0.5 ? fl + 1 : fl;
      break;
    case Rounding::kRndZero:
      q = (frac > 0.5 || (frac == 0.5 && v < 0)) ? fl + 1 : fl;
      break;
    case Rounding::kRndMinInf:
      q = frac > 0.5 ? fl + 1 : fl;
      break;
    case Rounding::kRndInf:
      q = (frac > 0.5 || (frac == 0.5 && v > 0)) ? fl + 1 : fl;
      break;
    case Rounding::kRndConv:
      q = (frac > 0.5 || (frac == 0.5 && std::fmod(fl, 2.0) != 0)) ? fl + 1 : fl;
      break;
  }
  const int64_t qi = static_cast<int64_t>(q);
  const int64_t w = t.width;
  const int64_t lo = t.is_signed ? -(int64_t{1} << (w - 1)) : 0;
  const int64_t hi = t.is_signed ? (int64_t{1} << (w - 1)) - 1 : (int64_t{1} << w) - 1;
  if (qi >= lo && qi <= hi) {
    if (t.overflow == Overflow::kSatSym && t.is_signed && qi == lo) {
      return {lo + 1, OverflowEvent::kSaturated};
    }
    return {qi, OverflowEvent::kNone};
  }
  switch (t.overflow) {
    case Overflow::kWrap: {
      const int64_t mod = int64_t{1} << w;
      int64_t low = ((qi % mod) + mod) % mod;  // unsigned low w bits
      for (int b = 0; b < t.sat_bits; ++b) {
        const int64_t bit = int64_t{1} << (w - 1 - b);
        const bool one = t.is_signed ? qi < 0 : qi > 0;
        low = one ? (low | bit) : (low & ~bit);
      }
      if (t.is_signed && low > hi) low -= mod;
      return {low, OverflowEvent::kWrapped};
    }
    case Overflow::kSat:
      return {qi < 0 ? lo : hi, OverflowEvent::kSaturated};
    case Overflow::kSatZero:
      return {0, OverflowEvent::kSaturated};
    case Overflow::kSatSym:
      return {qi < 0 ? (t.is_signed ? -hi : 0) : hi, OverflowEvent::kSaturated};
  }
  return {qi, OverflowEvent::kNone};
}

std::vector<FixedType> SmallTypes() {
  std::vector<FixedType> out;
  for (int w = 1; w <= 6; ++w) {
    for (int i : {-2, 0, 1, w / 2, w, w + 2}) {
      for (bool s : {true, false}) out.push_back(FixedType{w, i, s});
    }
  }
  return out;
}

std::vector<FixedType> WithAllModes(FixedType t) {
  std::vector<FixedType> out;
  for (int q = 0; q < kNumRoundings; ++q) {
    for (int o = 0; o < kNumOverflows; ++o) {
      t.rounding = static_cast<Rounding>(q);
      t.overflow = static_cast<Overflow>(o);
      t.sat_bits = 0;
      out.push_back(t);
      if (t.overflow == Overflow::kWrap) {
        for (int n = 1; n <= std::min(2, t.width); ++n) {
          t.sat_bits = n;
          out.push_back(t);
        }
        t.sat_bits = 0;
      }
    }
  }
  return out;
}

// Every value of a small type, as (raw, double).
std::vector<int64_t> AllRaw(const FixedType& t) {
  std::vector<int64_t> out;
  const int64_t lo = t.is_signed ? -(int64_t{1} << (t.width - 1)) : 0;
  const int64_t n = int64_t{1} << t.width;
  for (int64_t k = 0; k < n; ++k) out.push_back(lo + k);
  return out;
}

void ExpectCast(const BigInt& src, int src_exp, double exact, const FixedType& to) {
  const RefResult ref = Reference(exact, to);
  OverflowEvent ev;
  const BigInt got = Cast(src, src_exp, to, &ev);
  ASSERT_EQ(got.ToInt64(), ref.raw) << exact << " -> " << FormatFixedType(to);
  ASSERT_EQ(ev, ref.event) << exact << " -> " << FormatFixedType(to);
  OverflowEvent ev64;
  ASSERT_EQ(Cast64(src.ToInt64(), src_exp, to, &ev64), ref.raw)
      << exact << " -> " << FormatFixedType(to) << " (64-bit path)";
  ASSERT_EQ(ev64, ref.event);
  ASSERT_EQ(QuantizeDouble(exact, to).ToInt64(), ref.raw) << exact << " (from double)";
  ASSERT_EQ(QuantizeDouble64(exact, to), ref.raw) << exact << " (from double, 64-bit)";
}

// Every pair of values of two small types; their exact product and sum, cast to every small
// target type under every mode.
TEST(FixedValueExhaustive, ProductsAndSumsOfAllPairs) {
  const std::vector<FixedType> sources = {{4, 2, true}, {3, 0, false}, {5, 6, true},
                                          {6, 3, true}, {2, -1, true}, {6, 6, false}};
  std::vector<FixedType> targets;
  for (const auto& t : {FixedType{3, 1, true}, FixedType{4, 4, false}, FixedType{5, 2, true},
                        FixedType{6, -1, true}, FixedType{4, 7, true}, FixedType{2, 0, false}}) {
    for (const auto& m : WithAllModes(t)) targets.push_back(m);
  }
  int64_t checked = 0;
  for (const auto& a : sources) {
    for (const auto& b : sources) {
      const FixedType pt = ProductType(a, b);
      const FixedType st = SumType(a, b);
      for (int64_t ra : AllRaw(a)) {
        for (int64_t rb : AllRaw(b)) {
          const double va = ToDouble(ra, a), vb = ToDouble(rb, b);
          // Product: raw product at exponent ea+eb, exact.
          const BigInt prod = BigInt(ra) * BigInt(rb);
          const int pexp = a.lsb_exponent() + b.lsb_exponent();
          ASSERT_EQ(Cast(prod, pexp, pt).ToInt64(), prod.ToInt64()) << "product type too narrow";
          // Sum: align to the finer lsb.
          const int e = std::min(a.lsb_exponent(), b.lsb_exponent());
          const BigInt sum =
              (BigInt(ra) << (a.lsb_exponent() - e)) + (BigInt(rb) << (b.lsb_exponent() - e));
          ASSERT_EQ(Cast(sum, e, st).ToInt64(), sum.ToInt64() >> (st.lsb_exponent() - e))
              << "sum type too narrow";
          for (const auto& to : targets) {
            ExpectCast(prod, pexp, va * vb, to);
            ExpectCast(sum, e, va + vb, to);
            checked += 2;
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 1000000);
}

// Every value of every small type cast to every small type in every mode.
TEST(FixedValueExhaustive, AllSmallTypeConversions) {
  const auto types = SmallTypes();
  for (const auto& from : types) {
    for (const auto& to_base : types) {
      for (const auto& to : WithAllModes(to_base)) {
        for (int64_t r : AllRaw(from))
          ExpectCast(BigInt(r), from.lsb_exponent(), ToDouble(r, from), to);
      }
    }
  }
}

TEST(FixedValue, UG1399Examples) {
  auto q = [](double v, const char* type) {
    return ToDouble(QuantizeDouble(v, *ParseFixedType(type)), *ParseFixedType(type));
  };
  EXPECT_EQ(q(19.0, "ap_fixed<4,4,AP_RND,AP_SAT>"), 7.0);
  EXPECT_EQ(q(-19.0, "ap_fixed<4,4,AP_RND,AP_SAT>"), -8.0);
  EXPECT_EQ(q(19.0, "ap_ufixed<4,4,AP_RND,AP_SAT>"), 15.0);
  EXPECT_EQ(q(-19.0, "ap_ufixed<4,4,AP_RND,AP_SAT>"), 0.0);
  EXPECT_EQ(q(19.0, "ap_fixed<4,4,AP_RND,AP_SAT_ZERO>"), 0.0);
  EXPECT_EQ(q(-19.0, "ap_fixed<4,4,AP_RND,AP_SAT_SYM>"), -7.0);
  EXPECT_EQ(q(31.0, "ap_fixed<4,4,AP_RND,AP_WRAP>"), -1.0);
  EXPECT_EQ(q(-19.0, "ap_fixed<4,4,AP_RND,AP_WRAP>"), -3.0);
  EXPECT_EQ(q(19.0, "ap_ufixed<4,4,AP_RND,AP_WRAP>"), 3.0);
  EXPECT_EQ(q(-19.0, "ap_ufixed<4,4,AP_RND,AP_WRAP>"), 13.0);
  EXPECT_EQ(q(19.0, "ap_fixed<4,4,AP_RND,AP_WRAP,1>"), 3.0);
  EXPECT_EQ(q(-19.0, "ap_fixed<4,4,AP_RND,AP_WRAP,1>"), -3.0);
  EXPECT_EQ(q(19.0, "ap_ufixed<4,4,AP_RND,AP_WRAP,1>"), 11.0);
  EXPECT_EQ(q(-19.0, "ap_ufixed<4,4,AP_RND,AP_WRAP,1>"), 5.0);
  // Negative integer bits: ap_fixed<2,0> holds -0.5..0.25.
  EXPECT_EQ(q(-0.5, "ap_fixed<2,0>"), -0.5);
  // Signed 1 bit at 2^-8 holds -2^-8 or 0, so +2^-8 wraps to -2^-8.
  EXPECT_EQ(q(1.0 / 256, "ap_fixed<1,-7>"), -1.0 / 256);
  EXPECT_EQ(q(1.0 / 256, "ap_ufixed<1,-7>"), 1.0 / 256);
  // Rounding modes on ties.
  EXPECT_EQ(q(2.5, "ap_fixed<8,8,AP_RND_CONV>"), 2.0);
  EXPECT_EQ(q(3.5, "ap_fixed<8,8,AP_RND_CONV>"), 4.0);
  EXPECT_EQ(q(-2.5, "ap_fixed<8,8,AP_RND>"), -2.0);
  EXPECT_EQ(q(-2.5, "ap_fixed<8,8,AP_RND_INF>"), -3.0);
  EXPECT_EQ(q(-2.5, "ap_fixed<8,8,AP_RND_ZERO>"), -2.0);
  EXPECT_EQ(q(2.5, "ap_fixed<8,8,AP_RND_ZERO>"), 2.0);
  EXPECT_EQ(q(2.5, "ap_fixed<8,8,AP_RND_MIN_INF>"), 2.0);
  EXPECT_EQ(q(-2.7, "ap_fixed<8,8,AP_TRN>"), -3.0);
  EXPECT_EQ(q(-2.7, "ap_fixed<8,8,AP_TRN_ZERO>"), -2.0);
}

TEST(FixedValue, ExtremeDoublesAndShifts) {
  const FixedType t{16, 6, true, Rounding::kRnd, Overflow::kSat};
  EXPECT_EQ(QuantizeDouble(1e300, t).ToInt64(), 32767);
  EXPECT_EQ(QuantizeDouble(-1e300, t).ToInt64(), -32768);
  EXPECT_EQ(QuantizeDouble(1e-300, t).ToInt64(), 0);
  EXPECT_EQ(QuantizeDouble(-1e-300, t).ToInt64(), 0);
  EXPECT_EQ(QuantizeDouble(5e-324, t).ToInt64(), 0);
  EXPECT_EQ(QuantizeDouble(INFINITY, t).ToInt64(), 32767);
  EXPECT_EQ(QuantizeDouble(NAN, t).ToInt64(), 0);
  const FixedType trn{16, 6, true};
  EXPECT_EQ(QuantizeDouble(-1e-300, trn).ToInt64(), -1);  // floor of a tiny negative value
  EXPECT_EQ(QuantizeDouble(1e300, trn).ToInt64(), 0);     // wraps: low bits are all zero
  EXPECT_EQ(Cast64(-1, -100000, trn), -1);
  EXPECT_EQ(Cast64(1, 100000, trn), 0);
}

// Wide types: properties that pin the result without reusing the implementation: the result is
// within the rounding interval of the exact value, and wraps are congruent modulo 2^W.
TEST(FixedValueRandom, WideTypes) {
  std::mt19937_64 rng(12345);
  auto random_big = [&](int bits) {
    BigInt v;
    for (int i = 0; i < (bits + 63) / 64; ++i) v = (v << 64) + BigInt::FromUnsigned(rng());
    return v.Truncate(bits, true);
  };
  for (int w : {64, 65, 127, 128}) {
    for (int iter = 0; iter < 3000; ++iter) {
      FixedType to{w, static_cast<int>(rng() % 80) - 20, (rng() & 1) != 0,
                   static_cast<Rounding>(rng() % kNumRoundings), Overflow::kWrap};
      const BigInt src = random_big(static_cast<int>(rng() % 250) + 2);
      const int src_exp = to.lsb_exponent() - static_cast<int>(rng() % 130);
      const int r = to.lsb_exponent() - src_exp;  // bits dropped
      const BigInt got = Cast(src, src_exp, to);
      const BigInt fl = src >> r;
      const BigInt rem = src - (fl << r);
      BigInt expect = fl;
      const BigInt half = BigInt::PowerOfTwo(r > 0 ? r - 1 : 0);
      if (r > 0) {
        const bool tie = rem == half, above = rem > half, exact = rem.IsZero();
        bool up = false;
        switch (to.rounding) {
          case Rounding::kTrn:
            break;
          case Rounding::kTrnZero:
            up = src.IsNegative() && !exact;
            break;
          case Rounding::kRnd:
            up = above || tie;
            break;
          case Rounding::kRndZero:
            up = above || (tie && fl.IsNegative());
            break;
          case Rounding::kRndMinInf:
            up = above;
            break;
          case Rounding::kRndInf:
            up = above || (tie && !fl.IsNegative());
            break;
          case Rounding::kRndConv:
            up = above || (tie && fl.Bit(0));
            break;
        }
        if (up) expect = expect + BigInt(1);
      }
      // Congruent modulo 2^w, and in range.
      ASSERT_EQ((got - expect).Truncate(w, false), BigInt()) << w;
      ASSERT_TRUE(to.is_signed ? got.FitsSigned(w) : got.FitsUnsigned(w));
      // Saturation picks the bound on the same side.
      FixedType sat = to;
      sat.overflow = Overflow::kSat;
      const BigInt s = Cast(src, src_exp, sat);
      const bool fits = to.is_signed ? expect.FitsSigned(w) : expect.FitsUnsigned(w);
      if (fits) {
        ASSERT_EQ(s, expect);
      } else {
        const BigInt max = to.is_signed ? BigInt::PowerOfTwo(w - 1) - BigInt(1)
                                        : BigInt::PowerOfTwo(w) - BigInt(1);
        const BigInt min = to.is_signed ? -BigInt::PowerOfTwo(w - 1) : BigInt();
        ASSERT_EQ(s, expect.IsNegative() ? min : max);
      }
    }
  }
}

TEST(FixedValue, Int64PathMatchesBigIntPath) {
  std::mt19937_64 rng(7);
  for (int iter = 0; iter < 200000; ++iter) {
    FixedType to{static_cast<int>(rng() % 62) + 1, static_cast<int>(rng() % 100) - 40,
                 (rng() & 1) != 0, static_cast<Rounding>(rng() % kNumRoundings),
                 static_cast<Overflow>(rng() % kNumOverflows)};
    if (to.overflow == Overflow::kWrap && (rng() & 3) == 0) to.sat_bits = 1 + rng() % to.width;
    const int64_t src = static_cast<int64_t>(rng()) >> (rng() % 64);
    const int exp = static_cast<int>(rng() % 200) - 100;
    OverflowEvent e1, e2;
    ASSERT_EQ(Cast64(src, exp, to, &e1), Cast(BigInt(src), exp, to, &e2).ToInt64());
    ASSERT_EQ(e1, e2);
  }
}

TEST(FixedValue, ToDoubleAndDecimal) {
  const FixedType t = *ParseFixedType("ap_fixed<16,6>");
  EXPECT_EQ(ToDouble(QuantizeDouble(-1.375, t), t), -1.375);
  EXPECT_EQ(ToExactDecimal(QuantizeDouble(-1.375, t), t), "-1.375");
  EXPECT_EQ(ToExactDecimal(BigInt(1), t), "0.0009765625");
  EXPECT_EQ(ToExactDecimal(BigInt(0), t), "0");
  EXPECT_EQ(ToExactDecimal(BigInt(-3), *ParseFixedType("ap_fixed<4,8>")), "-48");
  const FixedType wide = *ParseFixedType("ap_fixed<128,64>");
  const BigInt big = (BigInt::PowerOfTwo(126) + BigInt(1));
  EXPECT_EQ(ToExactDecimal(big, wide),
            "4611686018427387904.0000000000000000000542101086242752217003726400434970855712890625");
  EXPECT_EQ(BigInt(-31).ToHex(), "-0x1f");
  EXPECT_EQ(BigInt::PowerOfTwo(100).ToDecimal(), "1267650600228229401496703205376");
  EXPECT_EQ(BigInt::PowerOfTwo(70).ToDouble(), std::ldexp(1.0, 70));
}

TEST(FixedValue, RoundToDecimalPlacesIsPythonsFormat) {
  // Expected values from Python's '{:.Nf}'.format(v) (round half to even on the exact value).
  struct Case {
    double v;
    int digits;
    double want;
  };
  const Case cases[] = {
      {2.5, 0, 2},
      {3.5, 0, 4},
      {2.7, 0, 3},
      {-2.7, 0, -3},
      {-2.5, 0, -2},
      {0.25, 1, 0.2},
      {0.125, 2, 0.12},
      {0.375, 2, 0.38},
      {0.0625, 3, 0.062},
      {0.1875, 3, 0.188},
      {0.99999999997, 10, 1.0},
      {1e-300, 10, 0.0},
      {123.456789, 2, 123.46},
      {-0.00048828125, 10, -0.0004882812},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RoundToDecimalPlaces(c.v, c.digits), c.want) << c.v << " " << c.digits;
  }
  // Beyond a double's decimal expansion nothing changes.
  EXPECT_EQ(RoundToDecimalPlaces(0.1, 2000), 0.1);
  EXPECT_EQ(RoundToDecimalPlaces(std::ldexp(1.0, -1074), 1074), std::ldexp(1.0, -1074));
}

// The fast path (to_chars/from_chars) against C's printf "%.*f" and strtod, the steps numpy's
// savetxt and the C++ reader take: weights of every magnitude, at every number of places a
// fixed-point type can ask for, with subnormals and values that round to zero.
TEST(FixedValue, RoundToDecimalPlacesEqualsPrintfThenStrtod) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> mantissa(-2, 2);
  std::uniform_int_distribution<int> exponent(-1074, 60);
  std::uniform_int_distribution<int> places(0, 400);
  std::vector<char> buf(2000);
  for (int i = 0; i < 20000; ++i) {
    const double v = i % 4 == 0 ? std::ldexp(mantissa(rng), exponent(rng)) : mantissa(rng) * 100;
    const int digits = i % 3 == 0 ? places(rng) : i % 20;
    std::snprintf(buf.data(), buf.size(), "%.*f", digits, v);
    const double want = std::strtod(buf.data(), nullptr);
    ASSERT_EQ(RoundToDecimalPlaces(v, digits), want) << v << " " << digits;
    ASSERT_EQ(std::signbit(RoundToDecimalPlaces(v, digits)), std::signbit(want)) << v;
  }
}

TEST(FixedValue, QuantizeWeightGoesThroughHls4mlsDecimal) {
  const FixedType int8 = *ParseFixedType("ap_int<8>");
  // '{:.0f}' then a truncating cast: rounds to nearest, ties to even.
  EXPECT_EQ(QuantizeWeight(2.7, int8).ToInt64(), 3);
  EXPECT_EQ(QuantizeDouble(2.7, int8).ToInt64(), 2);
  EXPECT_EQ(QuantizeWeight(2.5, int8).ToInt64(), 2);
  EXPECT_EQ(QuantizeWeight(-2.7, int8).ToInt64(), -3);
  // F = 2: 0.2499999 prints as 0.25, one lsb; the direct cast truncates to 0.
  const FixedType f2 = *ParseFixedType("ap_fixed<8,6>");
  EXPECT_EQ(QuantizeWeight(0.2499999, f2).ToInt64(), 1);
  EXPECT_EQ(QuantizeDouble(0.2499999, f2).ToInt64(), 0);
  // F = 10: only values within 0.5e-10 below a multiple of the lsb move.
  const FixedType d = *ParseFixedType("ap_fixed<16,6>");
  EXPECT_EQ(QuantizeWeight(0.99999999997, d).ToInt64(), 1024);
  EXPECT_EQ(QuantizeWeight(0.9999999, d).ToInt64(), 1023);
  EXPECT_EQ(QuantizeWeight(-0.3, d), QuantizeDouble(-0.3, d));
  // A negative-lsb type (I > W) prints with no decimals, then rounds with its own mode.
  const FixedType coarse = *ParseFixedType("ap_fixed<4,6,AP_RND>");
  EXPECT_EQ(QuantizeWeight(5.6, coarse).ToInt64(), 2);  // "6" -> 6/4 = 1.5 -> RND -> 2
  // Overflow modes still apply after the decimal step.
  EXPECT_EQ(QuantizeWeight(300.0, *ParseFixedType("ap_fixed<8,8,AP_TRN,AP_SAT>")).ToInt64(), 127);
}

}  // namespace
}  // namespace firmnet
