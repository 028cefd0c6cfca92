// Exhaustive tests of ap_fixed / ap_ufixed for small widths: every value pair of several type
// pairs (I < 0, I > W, signed and unsigned mixed), the exact results of + - * /, and every
// quantization and overflow mode (N = 0, 1, 2) when those results are cast to small targets.
// The reference below is written independently of the headers: rational arithmetic on __int128
// (floor division and remainder decide the rounding), modular arithmetic for wrap-around.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "ap_fixed.h"

namespace {

using i128 = __int128;

// An exact value num * 2^exp.
struct Exact {
  i128 num;
  int exp;
};

i128 FloorDiv(i128 a, i128 b) {  // b > 0
  i128 q = a / b;
  if ((a % b) != 0 && a < 0) --q;
  return q;
}

// Reference cast of an exact value to (w, i, signed) with the given modes; returns the raw.
i128 RefCast(Exact v, int w, int i, bool s, ap_q_mode q, ap_o_mode o, int n) {
  int f = w - i;
  int shift = v.exp + f;  // raw_target = v.num * 2^shift
  i128 y;
  if (shift >= 0) {
    y = v.num * (static_cast<i128>(1) << shift);
  } else {
    i128 den = static_cast<i128>(1) << (-shift);
    i128 fl = FloorDiv(v.num, den);
    i128 frac = v.num - fl * den;  // 0 <= frac < den
    i128 twice = 2 * frac;
    bool up = false;
    switch (q) {
      case AP_TRN:
        up = false;
        break;
      case AP_TRN_ZERO:
        up = v.num < 0 && frac != 0;
        break;
      case AP_RND:
        up = twice >= den;
        break;
      case AP_RND_ZERO:
        up = twice > den || (twice == den && v.num < 0);
        break;
      case AP_RND_MIN_INF:
        up = twice > den;
        break;
      case AP_RND_INF:
        up = twice > den || (twice == den && v.num > 0);
        break;
      case AP_RND_CONV:
        up = twice > den || (twice == den && (fl % 2 != 0));
        break;
    }
    y = fl + (up ? 1 : 0);
  }
  i128 lo = s ? -(static_cast<i128>(1) << (w - 1)) : 0;
  i128 hi = s ? (static_cast<i128>(1) << (w - 1)) - 1 : (static_cast<i128>(1) << w) - 1;
  if (y >= lo && y <= hi) {
    if (o == AP_SAT_SYM && s && y == lo) return -hi;
    return y;
  }
  switch (o) {
    case AP_SAT:
      return y < 0 ? lo : hi;
    case AP_SAT_ZERO:
      return 0;
    case AP_SAT_SYM:
      return y < 0 ? (s ? -hi : 0) : hi;
    default:
      break;
  }
  i128 mod = static_cast<i128>(1) << w;
  i128 bits = ((y % mod) + mod) % mod;  // in [0, 2^w)
  if (n > 0) {
    i128 top = ((static_cast<i128>(1) << n) - 1) << (w - n);
    bool ones = s ? y < 0 : y > 0;
    bits = ones ? (bits | top) : (bits & ~top);
  }
  if (s && bits >= (mod >> 1)) bits -= mod;
  return bits;
}

template <class T>
i128 RawOf(const T& x) {
  // The raw bits, read through the public range API and sign-extended by hand.
  i128 r = 0;
  for (int k = 0; k < T::width; ++k) {
    if (x[k]) r |= static_cast<i128>(1) << k;
  }
  if (T::sign_flag && x[T::width - 1]) r -= static_cast<i128>(1) << T::width;
  return r;
}

template <class T>
T FromRaw(i128 raw) {
  T x;
  for (int k = 0; k < T::width; ++k) x[k] = static_cast<bool>((raw >> k) & 1);
  return x;
}

template <class T>
Exact ExactOf(const T& x) {
  return {RawOf(x), T::iwidth - T::width};
}

template <class T>
std::string Describe(const Exact& v) {
  return "value " + std::to_string(static_cast<long long>(v.num)) + "*2^" + std::to_string(v.exp) +
         " -> ap_fixed<" + std::to_string(T::width) + "," + std::to_string(T::iwidth) +
         "> signed=" + std::to_string(T::sign_flag) + " Q=" + std::to_string(T::qmode) +
         " O=" + std::to_string(T::omode) + " N=" + std::to_string(T::sat_bits);
}

int g_failures = 0;

// Casts `src` to ap_fixed_base<W,I,S,Q,O,N> and compares with the reference.
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N, class Src>
void CheckOne(const Src& src) {
  using T = ap_fixed_base<W, I, S, Q, O, N>;
  T t = src;
  Exact v = ExactOf(src);
  i128 want = RefCast(v, W, I, S, Q, O, N);
  i128 got = RawOf(t);
  if (got != want && g_failures < 20) {
    ++g_failures;
    ADD_FAILURE() << Describe<T>(v) << ": got raw " << static_cast<long long>(got) << ", want "
                  << static_cast<long long>(want);
  }
}

template <int W, int I, bool S, ap_q_mode Q, class Src>
void CheckOverflowModes(const Src& src) {
  CheckOne<W, I, S, Q, AP_SAT, 0>(src);
  CheckOne<W, I, S, Q, AP_SAT_ZERO, 0>(src);
  CheckOne<W, I, S, Q, AP_SAT_SYM, 0>(src);
  CheckOne<W, I, S, Q, AP_WRAP, 0>(src);
  CheckOne<W, I, S, Q, AP_WRAP, 1>(src);
  if constexpr (W >= 2) CheckOne<W, I, S, Q, AP_WRAP, 2>(src);
}

template <int W, int I, bool S, class Src>
void CheckAllModes(const Src& src) {
  CheckOverflowModes<W, I, S, AP_TRN>(src);
  CheckOverflowModes<W, I, S, AP_TRN_ZERO>(src);
  CheckOverflowModes<W, I, S, AP_RND>(src);
  CheckOverflowModes<W, I, S, AP_RND_ZERO>(src);
  CheckOverflowModes<W, I, S, AP_RND_MIN_INF>(src);
  CheckOverflowModes<W, I, S, AP_RND_INF>(src);
  CheckOverflowModes<W, I, S, AP_RND_CONV>(src);
}

// Small targets: ordinary, I < 0, I > W, one bit, unsigned.
template <class Src>
void CheckAllTargets(const Src& src) {
  CheckAllModes<4, 2, true>(src);
  CheckAllModes<4, 1, false>(src);
  CheckAllModes<3, -1, true>(src);
  CheckAllModes<3, 6, false>(src);
  CheckAllModes<5, 8, true>(src);
  CheckAllModes<1, 1, true>(src);
  CheckAllModes<2, 0, false>(src);
}

template <class T>
i128 NumValues() {
  return static_cast<i128>(1) << T::width;
}
template <class T>
i128 MinRaw() {
  return T::sign_flag ? -(NumValues<T>() / 2) : 0;
}

// Every pair (a, b): the exact +, -, *, / results and their casts in every mode.
template <class A, class B>
void CheckPairs() {
  g_failures = 0;
  for (i128 ra = MinRaw<A>(); ra < MinRaw<A>() + NumValues<A>(); ++ra) {
    A a = FromRaw<A>(ra);
    ASSERT_EQ(RawOf(a), ra);
    CheckAllTargets(a);
    for (i128 rb = MinRaw<B>(); rb < MinRaw<B>() + NumValues<B>(); ++rb) {
      B b = FromRaw<B>(rb);
      int ea = A::iwidth - A::width, eb = B::iwidth - B::width;
      int e = std::min(ea, eb);
      auto sum = a + b;
      auto diff = a - b;
      auto prod = a * b;
      // Exact values, compared at the common exponent.
      i128 want_sum =
          ra * (static_cast<i128>(1) << (ea - e)) + rb * (static_cast<i128>(1) << (eb - e));
      i128 want_diff =
          ra * (static_cast<i128>(1) << (ea - e)) - rb * (static_cast<i128>(1) << (eb - e));
      ASSERT_EQ(decltype(sum)::iwidth - decltype(sum)::width, e);
      ASSERT_EQ(RawOf(sum), want_sum) << "sum of raws " << (long long)ra << ", " << (long long)rb;
      ASSERT_EQ(RawOf(diff), want_diff)
          << "diff of raws " << (long long)ra << ", " << (long long)rb;
      ASSERT_TRUE(decltype(diff)::sign_flag);
      ASSERT_EQ(decltype(prod)::iwidth - decltype(prod)::width, ea + eb);
      ASSERT_EQ(RawOf(prod), ra * rb);
      // Comparisons are exact.
      ASSERT_EQ(a < b, want_diff < 0);
      ASSERT_EQ(a == b, want_diff == 0);
      ASSERT_EQ(a >= b, want_diff >= 0);
      if (rb != 0) {
        auto quot = a / b;
        int f2 = B::width - B::iwidth;
        int k = f2 > 0 ? f2 : 0;
        i128 want_q = (ra * (static_cast<i128>(1) << k)) / rb;  // C division truncates
        ASSERT_EQ(RawOf(quot), want_q) << (long long)ra << " / " << (long long)rb;
        ASSERT_EQ(decltype(quot)::iwidth - decltype(quot)::width, (A::iwidth - A::width) + f2 - k);
      }
      CheckAllTargets(prod);
      CheckAllTargets(sum);
      CheckAllTargets(diff);
      if (g_failures) return;
    }
  }
}

TEST(ApFixedExhaustive, SignedPair) { CheckPairs<ap_fixed<5, 2>, ap_fixed<6, 3>>(); }
TEST(ApFixedExhaustive, NegativeAndLargeIntBits) { CheckPairs<ap_fixed<4, -2>, ap_ufixed<6, 8>>(); }
TEST(ApFixedExhaustive, UnsignedWithSigned) { CheckPairs<ap_ufixed<5, 5>, ap_fixed<3, 1>>(); }
TEST(ApFixedExhaustive, IntegersAsFixed) { CheckPairs<ap_fixed<6, 6>, ap_ufixed<6, 6>>(); }

// UG1399's saturation-bit examples, spelled out.
TEST(ApFixed, SaturationBitsExamplesFromTheDocumentation) {
  EXPECT_EQ((ap_fixed<4, 4, AP_RND, AP_WRAP, 1>(19)).to_int(), 3);
  EXPECT_EQ((ap_fixed<4, 4, AP_RND, AP_WRAP, 1>(-19)).to_int(), -3);
  EXPECT_EQ((ap_ufixed<4, 4, AP_RND, AP_WRAP, 1>(19)).to_int(), 11);
  EXPECT_EQ((ap_ufixed<4, 4, AP_RND, AP_WRAP, 1>(-19)).to_int(), 5);
}

TEST(ApFixed, SatSymNeverGivesTheMostNegativeValue) {
  ap_fixed<4, 4, AP_TRN, AP_SAT_SYM> x = -8;
  EXPECT_EQ(x.to_int(), -7);
  ap_fixed<4, 4, AP_TRN, AP_SAT_SYM> y = -100;
  EXPECT_EQ(y.to_int(), -7);
  ap_ufixed<4, 4, AP_TRN, AP_SAT_SYM> z = -3;
  EXPECT_EQ(z.to_int(), 0);
}

// Doubles convert exactly before Q/O: every multiple of 2^-8 in a range and some values that are
// not representable, against the reference on the double's exact binary value.
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
void CheckDouble(double d) {
  ap_fixed_base<W, I, S, Q, O, N> t = d;
  int e;
  double m = std::frexp(d, &e);
  Exact v{static_cast<i128>(std::ldexp(m, 53)), e - 53};
  i128 want = RefCast(v, W, I, S, Q, O, N);
  ASSERT_EQ(RawOf(t), want) << Describe<decltype(t)>(v) << " from double " << d;
}

template <ap_q_mode Q, ap_o_mode O>
void CheckDoubles() {
  for (int k = -2000; k <= 2000; ++k) {
    double d = k / 256.0;
    CheckDouble<6, 3, true, Q, O, 0>(d);
    CheckDouble<5, -1, true, Q, O, 0>(d);
    CheckDouble<4, 6, false, Q, O, 0>(d);
    CheckDouble<6, 3, true, Q, O, 1>(d * 0.1);
  }
}

TEST(ApFixed, DoubleConversionIsExactBeforeRounding) {
  CheckDoubles<AP_TRN, AP_WRAP>();
  CheckDoubles<AP_TRN_ZERO, AP_SAT>();
  CheckDoubles<AP_RND, AP_SAT_SYM>();
  CheckDoubles<AP_RND_ZERO, AP_SAT_ZERO>();
  CheckDoubles<AP_RND_MIN_INF, AP_WRAP>();
  CheckDoubles<AP_RND_INF, AP_SAT>();
  CheckDoubles<AP_RND_CONV, AP_WRAP>();
}

TEST(ApFixed, SpecialDoubles) {
  ap_fixed<8, 4, AP_TRN, AP_SAT> nan = std::nan("");
  EXPECT_EQ(RawOf(nan), 0);
  ap_fixed<8, 4, AP_TRN, AP_SAT> inf = HUGE_VAL;
  EXPECT_EQ(RawOf(inf), 127);
  ap_fixed<8, 4, AP_TRN, AP_SAT> ninf = -HUGE_VAL;
  EXPECT_EQ(RawOf(ninf), -128);
  ap_fixed<8, 4> tiny = 1e-300;
  EXPECT_EQ(RawOf(tiny), 0);
  ap_fixed<8, 4> ntiny = -1e-300;  // floor: -1 lsb
  EXPECT_EQ(RawOf(ntiny), -1);
  ap_fixed<8, 4, AP_RND> half_lsb = 1.0 / 32;  // exactly half an lsb: ties up
  EXPECT_EQ(RawOf(half_lsb), 1);
}

TEST(ApFixed, StringsAreExact) {
  // 0.1 is not a binary fraction: the decimal string decides the rounding, not a double.
  ap_fixed<8, 1, AP_RND> a = "0.1";
  EXPECT_EQ(RawOf(a), 13);  // 0.1 * 128 = 12.8 -> 13
  ap_fixed<8, 1, AP_TRN> b = "-0.1";
  EXPECT_EQ(RawOf(b), -13);                     // -12.8 -> -13
  ap_fixed<8, 1, AP_RND_CONV> c = "0.0390625";  // 5/128: exact
  EXPECT_EQ(RawOf(c), 5);
  ap_fixed<8, 1, AP_RND_CONV> d = "0.01953125";  // 2.5/128: tie to even
  EXPECT_EQ(RawOf(d), 2);
  ap_fixed<8, 4> e("0x2.8", 16);
  EXPECT_EQ(e.to_double(), 2.5);
  ap_fixed<8, 4> f = "-0b0";
  EXPECT_EQ(RawOf(f), 0);
  ap_ufixed<8, 4, AP_TRN, AP_SAT> g = "123.5";
  EXPECT_EQ(RawOf(g), 255);
}

TEST(ApFixed, ToStringIsExact) {
  ap_fixed<16, 6> x = -1.375;
  EXPECT_EQ(x.to_string(10), "-1.375");
  EXPECT_EQ(x.to_string(2), "0b111110.1010000000");
  EXPECT_EQ(x.to_string(2, true), "-0b000001.0110000000");
  ap_ufixed<8, 10> y = 1020;  // lsb 4
  EXPECT_EQ(y.to_string(10), "1020");
  ap_fixed<4, -2> z = -0.015625;  // raw -1, lsb 2^-6
  EXPECT_EQ(z.to_string(10), "-0.015625");
}

TEST(ApFixed, ToIntTruncatesTowardZero) {
  EXPECT_EQ((ap_fixed<8, 4>(-2.5)).to_int(), -2);
  EXPECT_EQ((ap_fixed<8, 4>(2.5)).to_int(), 2);
  EXPECT_EQ((ap_fixed<8, 4>(-0.0625)).to_int(), 0);
  ap_int<6> i = ap_fixed<8, 4>(-3.75);
  EXPECT_EQ(i.to_int(), -3);
}

TEST(ApFixed, CompoundOpsApplyTheTargetModes) {
  ap_fixed<6, 3, AP_RND, AP_SAT> acc = 3.0;
  acc += ap_fixed<6, 3>(2.0);  // 5 saturates to 3.875
  EXPECT_EQ(acc.to_double(), 3.875);
  ap_fixed<6, 3> w = 3.0;
  w += ap_fixed<6, 3>(2.0);  // wraps: 5 - 8 = -3
  EXPECT_EQ(w.to_double(), -3.0);
  ap_fixed<8, 4, AP_RND> m = 1.25;
  m *= ap_fixed<8, 4>(1.25);  // 1.5625 -> 1.5625 exactly (lsb 1/16)
  EXPECT_EQ(m.to_double(), 1.5625);
  m *= ap_fixed<8, 4>(0.5625);  // 0.87890625 -> nearest 1/16: 0.875
  EXPECT_EQ(m.to_double(), 0.875);
  ap_fixed<8, 4> k = 1.5;
  ++k;
  EXPECT_EQ(k.to_double(), 2.5);
  k--;
  EXPECT_EQ(k.to_double(), 1.5);
}

TEST(ApFixed, MixedWithNativeTypes) {
  ap_fixed<16, 6> x = 1.5;
  auto y = x * 3;  // int is ap_fixed<32,32>
  EXPECT_EQ(decltype(y)::width, 48);
  EXPECT_EQ(decltype(y)::iwidth, 38);
  EXPECT_EQ(y.to_double(), 4.5);
  double z = x * 0.5;  // a double operand makes a double
  EXPECT_EQ(z, 0.75);
  EXPECT_TRUE(x > 1);
  EXPECT_TRUE(x < 1.75);
  EXPECT_TRUE(2 > x);
  ap_int<4> i = 3;
  auto s = x + i;
  EXPECT_EQ(s.to_double(), 4.5);
}

TEST(ApFixed, ShiftsMoveRawBitsWithinTheType) {
  ap_fixed<8, 4> x = 1.5;
  EXPECT_EQ((x << 1).to_double(), 3.0);
  EXPECT_EQ((x >> 2).to_double(), 0.375);
  EXPECT_EQ((x << 3).to_double(), -4.0);  // bits shifted into the sign
  ap_fixed<8, 4> n = -1.0;
  EXPECT_EQ((n >> 1).to_double(), -0.5);
}

}  // namespace
