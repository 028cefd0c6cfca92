// Exhaustive tests of ap_int / ap_uint for widths up to 6: every value pair, every operator,
// against plain 64-bit integer arithmetic (the exact reference), plus the documented result
// widths and the wrap-around on assignment.
#include <gtest/gtest.h>

#include <cstdint>

#include "ap_int.h"

namespace {

// Wraps v to w bits, as the reference for assignment to ap_(u)int<w>.
int64_t Wrap(int64_t v, int w, bool s) {
  uint64_t m = (uint64_t{1} << w) - 1;
  uint64_t b = static_cast<uint64_t>(v) & m;
  if (s && (b >> (w - 1))) return static_cast<int64_t>(b) - (int64_t{1} << w);
  return static_cast<int64_t>(b);
}

template <class A, class B>
void CheckPairs() {
  constexpr int kWa = A::width, kWb = B::width;
  constexpr bool kSa = A::sign_flag, kSb = B::sign_flag;
  int64_t lo_a = kSa ? -(int64_t{1} << (kWa - 1)) : 0, hi_a = lo_a + (int64_t{1} << kWa);
  int64_t lo_b = kSb ? -(int64_t{1} << (kWb - 1)) : 0, hi_b = lo_b + (int64_t{1} << kWb);
  for (int64_t x = lo_a; x < hi_a; ++x) {
    A a = x;
    ASSERT_EQ(a.to_int64(), x);
    for (int64_t y = lo_b; y < hi_b; ++y) {
      B b = y;
      auto sum = a + b;
      auto diff = a - b;
      auto prod = a * b;
      auto band = a & b;
      auto bor = a | b;
      auto bxor = a ^ b;
      // Documented widths.
      constexpr int kLogic = std::max(kWa + (kSb && !kSa), kWb + (kSa && !kSb));
      static_assert(decltype(sum)::width == kLogic + 1);
      static_assert(decltype(diff)::width == kLogic + 1 && decltype(diff)::sign_flag);
      static_assert(decltype(prod)::width == kWa + kWb);
      static_assert(decltype(band)::width == kLogic);
      ASSERT_EQ(sum.to_int64(), x + y);
      ASSERT_EQ(diff.to_int64(), x - y);
      ASSERT_EQ(prod.to_int64(), x * y);
      // Bitwise ops act on the operands extended to the result width.
      ASSERT_EQ(band.to_int64(), Wrap(x & y, kLogic, kSa || kSb)) << x << " & " << y;
      ASSERT_EQ(bor.to_int64(), Wrap(x | y, kLogic, kSa || kSb));
      ASSERT_EQ(bxor.to_int64(), Wrap(x ^ y, kLogic, kSa || kSb));
      ASSERT_EQ(a < b, x < y);
      ASSERT_EQ(a <= b, x <= y);
      ASSERT_EQ(a == b, x == y);
      ASSERT_EQ(a != b, x != y);
      ASSERT_EQ(a > b, x > y);
      ASSERT_EQ(a >= b, x >= y);
      if (y != 0) {
        auto q = a / b;
        auto r = a % b;
        static_assert(decltype(q)::width == kWa + kSb);
        static_assert(decltype(r)::sign_flag == kSa);
        ASSERT_EQ(q.to_int64(), x / y) << x << " / " << y;
        ASSERT_EQ(r.to_int64(), x % y) << x << " % " << y;
      }
      // Assignment wraps.
      A c = a;
      c += b;
      ASSERT_EQ(c.to_int64(), Wrap(x + y, kWa, kSa));
      c = a;
      c *= b;
      ASSERT_EQ(c.to_int64(), Wrap(x * y, kWa, kSa));
      c = a;
      c -= b;
      ASSERT_EQ(c.to_int64(), Wrap(x - y, kWa, kSa));
      // Shifts keep the left type.
      if (y >= 0 && y < 8) {
        A l = a << static_cast<int>(y);
        A r2 = a >> static_cast<int>(y);
        ASSERT_EQ(l.to_int64(), Wrap(x * (int64_t{1} << y), kWa, kSa));
        ASSERT_EQ(r2.to_int64(), x >> y);  // arithmetic for signed, logical for unsigned (x >= 0)
        A l2 = a << b;                     // shift by an ap value
        ASSERT_EQ(l2.to_int64(), l.to_int64());
      }
    }
    // Unary operators.
    auto neg = -a;
    ASSERT_EQ(neg.to_int64(), -x);
    ASSERT_EQ((~a).to_int64(), Wrap(~x, kWa, kSa));
    ASSERT_EQ(!a, x == 0);
    // Reductions over the W bits.
    uint64_t bits = static_cast<uint64_t>(x) & ((uint64_t{1} << kWa) - 1);
    ASSERT_EQ(a.and_reduce(), bits == (uint64_t{1} << kWa) - 1);
    ASSERT_EQ(a.or_reduce(), bits != 0);
    ASSERT_EQ(a.xor_reduce(), __builtin_popcountll(bits) % 2 == 1);
    ASSERT_EQ(a.nand_reduce(), !a.and_reduce());
    ASSERT_EQ(a.nor_reduce(), !a.or_reduce());
    ASSERT_EQ(a.xnor_reduce(), !a.xor_reduce());
    // Bits and ranges.
    for (int i = 0; i < kWa; ++i) ASSERT_EQ(a[i], ((bits >> i) & 1) != 0);
    for (int hi = 0; hi < kWa; ++hi) {
      for (int lo = 0; lo <= hi; ++lo) {
        uint64_t want = (bits >> lo) & ((uint64_t{1} << (hi - lo + 1)) - 1);
        ASSERT_EQ(a.range(hi, lo).to_uint64(), want);
        A d = 0;
        d.range(hi, lo) = a;  // low bits of a into d[hi:lo]
        uint64_t m = ((uint64_t{1} << (hi - lo + 1)) - 1);
        ASSERT_EQ(static_cast<uint64_t>(d.to_int64()) & ((uint64_t{1} << kWa) - 1), (bits & m)
                                                                                        << lo);
      }
    }
    // Increment wraps.
    A inc = a;
    ++inc;
    ASSERT_EQ(inc.to_int64(), Wrap(x + 1, kWa, kSa));
    A dec = a;
    dec--;
    ASSERT_EQ(dec.to_int64(), Wrap(x - 1, kWa, kSa));
  }
}

TEST(ApIntExhaustive, SignedSigned) { CheckPairs<ap_int<5>, ap_int<6>>(); }
TEST(ApIntExhaustive, SignedUnsigned) { CheckPairs<ap_int<4>, ap_uint<6>>(); }
TEST(ApIntExhaustive, UnsignedSigned) { CheckPairs<ap_uint<6>, ap_int<3>>(); }
TEST(ApIntExhaustive, UnsignedUnsigned) { CheckPairs<ap_uint<5>, ap_uint<6>>(); }
TEST(ApIntExhaustive, OneBit) { CheckPairs<ap_uint<1>, ap_int<1>>(); }

TEST(ApInt, NativeIntegersTakePartWithTheirOwnWidth) {
  ap_int<8> a = -3;
  auto b = a + 1;  // int is ap_int<32>
  static_assert(decltype(b)::width == 33);
  EXPECT_EQ(b.to_int(), -2);
  auto c = a * 2u;  // unsigned is ap_uint<32>
  static_assert(decltype(c)::width == 40 && decltype(c)::sign_flag);
  EXPECT_EQ(c.to_int(), -6);
  EXPECT_TRUE(a < 0);
  EXPECT_TRUE(0 > a);
  EXPECT_EQ(a * 0.5, -1.5);  // a double operand makes a double
  ap_uint<4> u = 20;         // wraps
  EXPECT_EQ(u.to_int(), 4);
  ap_int<4> d = -2.7;  // toward zero
  EXPECT_EQ(d.to_int(), -2);
}

TEST(ApInt, StringsWithRadix) {
  ap_uint<12> a("0xabc");
  EXPECT_EQ(a.to_uint(), 0xabcu);
  ap_uint<12> b("abc", 16);
  EXPECT_EQ(b.to_uint(), 0xabcu);
  ap_int<8> c("-0b101");
  EXPECT_EQ(c.to_int(), -5);
  ap_int<8> d("0o17");
  EXPECT_EQ(d.to_int(), 15);
  ap_int<8> e = "300";  // wraps like an integer assignment
  EXPECT_EQ(e.to_int(), 44);
  EXPECT_EQ(c.to_string(10), "-5");
  EXPECT_EQ(c.to_string(2), "0b11111011");
  EXPECT_EQ(c.to_string(2, true), "-0b00000101");
  EXPECT_EQ(a.to_string(16), "0xabc");
  EXPECT_EQ(d.to_string(8), "0o017");
}

}  // namespace
