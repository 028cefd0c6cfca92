// One semantics: firmnet's HLS headers against the emulator's fixed-point core. For a grid of
// types and every Q/O mode, random exact values (products and sums of random operands) and random
// doubles are cast by both, and the raw bits must be identical. The result types of * and + must
// match firmnet::ProductType / SumType.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "ap_fixed.h"
#include "firmnet/fixed/fixed_type.h"
#include "firmnet/fixed/fixed_value.h"

namespace {

firmnet::Rounding ToRounding(ap_q_mode q) {
  switch (q) {
    case AP_TRN:
      return firmnet::Rounding::kTrn;
    case AP_TRN_ZERO:
      return firmnet::Rounding::kTrnZero;
    case AP_RND:
      return firmnet::Rounding::kRnd;
    case AP_RND_ZERO:
      return firmnet::Rounding::kRndZero;
    case AP_RND_MIN_INF:
      return firmnet::Rounding::kRndMinInf;
    case AP_RND_INF:
      return firmnet::Rounding::kRndInf;
    case AP_RND_CONV:
      return firmnet::Rounding::kRndConv;
  }
  return firmnet::Rounding::kTrn;
}
firmnet::Overflow ToOverflow(ap_o_mode o) {
  switch (o) {
    case AP_SAT:
      return firmnet::Overflow::kSat;
    case AP_SAT_ZERO:
      return firmnet::Overflow::kSatZero;
    case AP_SAT_SYM:
      return firmnet::Overflow::kSatSym;
    default:
      return firmnet::Overflow::kWrap;
  }
}

template <class T>
firmnet::FixedType TypeOf() {
  firmnet::FixedType t;
  t.width = T::width;
  t.int_bits = T::iwidth;
  t.is_signed = T::sign_flag;
  t.rounding = ToRounding(T::qmode);
  t.overflow = ToOverflow(T::omode);
  t.sat_bits = T::sat_bits;
  return t;
}

// Raw bits of an ap value as a firmnet::BigInt (sign-extended when signed).
template <class T>
firmnet::BigInt BigOf(const T& x) {
  firmnet::BigInt r;
  for (int i = T::width - 1; i >= 0; --i) {
    r = r + r;
    if (x[i]) r = r + firmnet::BigInt(1);
  }
  if (T::sign_flag && x[T::width - 1]) r = r - firmnet::BigInt::PowerOfTwo(T::width);
  return r;
}

std::mt19937_64 rng(2024);

template <class T>
T Random() {
  T x;
  for (int i = 0; i < T::width; ++i) x[i] = static_cast<bool>(rng() & 1);
  int mode = static_cast<int>(rng() % 4);
  if (mode == 1) {
    for (int i = T::width / 2; i < T::width; ++i) x[i] = x[T::width - 1];  // small magnitude
  }
  return x;
}

int g_failures = 0;

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N, class Src>
void Check(const Src& src, double d) {
  using T = ap_fixed_base<W, I, S, Q, O, N>;
  const firmnet::FixedType to = TypeOf<T>();
  T from_ap = src;
  firmnet::BigInt want = firmnet::Cast(BigOf(src), Src::iwidth - Src::width, to);
  T from_double = d;
  firmnet::BigInt want_d = firmnet::QuantizeDouble(d, to);
  if ((!(BigOf(from_ap) == want) || !(BigOf(from_double) == want_d)) && g_failures < 10) {
    ++g_failures;
    ADD_FAILURE() << firmnet::FormatFixedType(to) << " from " << src.to_string(10) << " (raw "
                  << BigOf(src).ToDecimal() << "): headers " << BigOf(from_ap).ToDecimal()
                  << ", core " << want.ToDecimal() << "; from double " << d << ": headers "
                  << BigOf(from_double).ToDecimal() << ", core " << want_d.ToDecimal();
  }
}

template <int W, int I, bool S, class Src>
void CheckModes(const Src& src, double d) {
#define M(Q)                                 \
  Check<W, I, S, Q, AP_WRAP, 0>(src, d);     \
  Check<W, I, S, Q, AP_WRAP, 2>(src, d);     \
  Check<W, I, S, Q, AP_SAT, 0>(src, d);      \
  Check<W, I, S, Q, AP_SAT_ZERO, 0>(src, d); \
  Check<W, I, S, Q, AP_SAT_SYM, 0>(src, d);
  M(AP_TRN) M(AP_TRN_ZERO) M(AP_RND) M(AP_RND_ZERO) M(AP_RND_MIN_INF) M(AP_RND_INF) M(AP_RND_CONV)
#undef M
}

template <class A, class B>
void CheckGrid(int iterations) {
  g_failures = 0;
  // The result types agree with the core's.
  using P = decltype(A() * B());
  using Sm = decltype(A() + B());
  EXPECT_EQ(TypeOf<P>(), firmnet::ProductType(TypeOf<A>(), TypeOf<B>()));
  EXPECT_EQ(TypeOf<Sm>(), firmnet::SumType(TypeOf<A>(), TypeOf<B>()));
  std::uniform_real_distribution<double> dist(-300.0, 300.0);
  for (int it = 0; it < iterations && g_failures == 0; ++it) {
    A a = Random<A>();
    B b = Random<B>();
    double d = dist(rng) * std::ldexp(1.0, static_cast<int>(rng() % 20) - 10);
    auto p = a * b;
    auto s = a + b;
    CheckModes<16, 6, true>(p, d);
    CheckModes<8, 3, false>(s, d);
    CheckModes<12, -2, true>(p, d);
    CheckModes<10, 14, true>(s, d);
    CheckModes<40, 12, true>(p, d);
    CheckModes<64, 30, false>(p, d);
    CheckModes<100, 50, true>(p, d);
  }
}

TEST(HlsConsistency, Narrow) { CheckGrid<ap_fixed<16, 6>, ap_fixed<16, 6>>(300); }
TEST(HlsConsistency, MixedSignedness) { CheckGrid<ap_ufixed<12, 4>, ap_fixed<9, -1>>(300); }
TEST(HlsConsistency, Wide) { CheckGrid<ap_fixed<64, 20>, ap_fixed<60, 40>>(100); }
TEST(HlsConsistency, IntLike) { CheckGrid<ap_fixed<10, 10>, ap_ufixed<7, 9>>(300); }

}  // namespace
