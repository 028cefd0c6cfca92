// The HLS idioms of api_surface_compile.cc, now run and checked: ranges as lvalues,
// concatenation both ways, ap_uint<1> flags, bit access, mixed ap_fixed * int, and that HLS
// pragmas and the __SYNTHESIS__ guard compile under g++ (with -Wno-unknown-pragmas).
#include <gtest/gtest.h>

#include <sstream>

#include "ap_fixed.h"
#include "ap_int.h"

namespace {

TEST(ApApi, RangeAssignAndRead) {
  ap_uint<32> x = 0;
  ap_uint<16> hi = 0xdead, lo = 0xbeef;
  x.range(31, 16) = hi;
  x.range(15, 0) = lo;
  EXPECT_EQ(x.to_uint(), 0xdeadbeefu);
  EXPECT_EQ(x.range(23, 8).to_uint(), 0xadbeu);
  EXPECT_EQ(x(7, 4).to_uint(), 0xeu);
  x.range(31, 0) = 5;  // x.range(W-1, 0) = y
  EXPECT_EQ(x.to_uint(), 5u);
  ap_uint<8> r = 0b00000001;
  EXPECT_EQ(r.range(0, 3).to_uint(), 0b1000u);  // lo > hi reads the bits reversed
  ap_int<8> s = -1;
  s.range(6, 0) = 0;
  EXPECT_EQ(s.to_int(), -128);
}

TEST(ApApi, Concatenation) {
  ap_uint<4> a = 0xa, b = 0x5;
  ap_uint<8> c = (a, b);
  EXPECT_EQ(c.to_uint(), 0xa5u);
  ap_uint<12> d = (a, b, ap_uint<4>(0xf));
  EXPECT_EQ(d.to_uint(), 0xa5fu);
  (a, b) = ap_uint<8>(0x3c);
  EXPECT_EQ(a.to_uint(), 0x3u);
  EXPECT_EQ(b.to_uint(), 0xcu);
  ap_int<4> n = -1;
  ap_uint<8> e = (n, b);  // the signed part contributes its 4 bits
  EXPECT_EQ(e.to_uint(), 0xfcu);
  ap_uint<8> bits = 0;
  ap_uint<9> f = (bits[0], bits);
  EXPECT_EQ(f.to_uint(), 0u);
  EXPECT_EQ(a.concat(b).to_uint(), 0x3cu);
  ap_uint<16> g = 0;
  (g.range(15, 8), g.range(7, 0)) = ap_uint<32>(0x1234);  // each range counts as 16 bits
  EXPECT_EQ(g.to_uint(), 0x34u);
}

TEST(ApApi, FlagsAndBits) {
  ap_uint<1> flag = 1;
  int hits = 0;
  if (flag) ++hits;
  flag = 0;
  if (!flag) ++hits;
  EXPECT_EQ(hits, 2);
  ap_uint<8> x = 0;
  x[0] = 1;
  x[7] = true;
  EXPECT_EQ(x.to_uint(), 0x81u);
  EXPECT_TRUE(x[0]);
  EXPECT_FALSE(x[1]);
  x[0] = ~x[0];
  EXPECT_EQ(x.to_uint(), 0x80u);
  ap_int<8> s = 0;
  s[7] = 1;  // the sign bit
  EXPECT_EQ(s.to_int(), -128);
  static const int kTable[4] = {10, 20, 30, 40};
  ap_uint<2> idx = 3;
  EXPECT_EQ(kTable[idx], 40);
}

TEST(ApApi, MixedFixedTimesInt) {
  ap_fixed<16, 6> x = -1.5;
  ap_fixed<16, 6> y = x * 3;
  EXPECT_EQ(y.to_double(), -4.5);
  ap_fixed<16, 6> z = 3 * x + 1;
  EXPECT_EQ(z.to_double(), -3.5);
  ap_fixed<16, 6> q = x / 2;
  EXPECT_EQ(q.to_double(), -0.75);
  int n = 4;
  ap_fixed<16, 6> w = x * n - x;
  EXPECT_EQ(w.to_double(), -4.5);
}

TEST(ApApi, StreamOutput) {
  std::ostringstream os;
  os << ap_int<8>(-5) << " " << ap_uint<8>(200) << " " << std::hex << ap_uint<12>(0xabc) << std::dec
     << " " << ap_fixed<8, 4>(-2.5);
  EXPECT_EQ(os.str(), "-5 200 abc -2.5");
}

int PragmaUser(int x) {
#pragma HLS PIPELINE II = 1
#pragma HLS INLINE off
  int y = x;
#ifndef __SYNTHESIS__
  y += 1;  // C-simulation only
#endif
  return y;
}

TEST(ApApi, PragmasAndSynthesisGuard) { EXPECT_EQ(PragmaUser(1), 2); }

TEST(ApApi, WidestTypes) {
  ap_uint<1024> x = 1;
  x <<= 1023;
  EXPECT_TRUE(x[1023]);
  EXPECT_EQ(x.countLeadingZeros(), 0);
  ap_int<1024> y = -1;
  EXPECT_TRUE(y.and_reduce());
  auto z = x * x;  // 2048 bits, exact
  EXPECT_EQ(decltype(z)::width, 2048);
  EXPECT_TRUE(z[2046]);
}

}  // namespace
