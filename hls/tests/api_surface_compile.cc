// Compile-only test of the API surface: HLS code written for the vendor's headers must compile
// unchanged with firmnet's. Nothing here runs; the build of target hls_api_compile is the test.
// The idioms are those seen in generated and hand-written HLS code (hls4ml layers, test benches).
#include <iostream>
#include <sstream>

#include "ap_fixed.h"
#include "ap_int.h"
#include "hls_stream.h"

typedef ap_fixed<16, 6> data_t;
typedef ap_fixed<8, 3, AP_RND_CONV, AP_SAT> weight_t;
typedef ap_fixed<32, 12, AP_RND, AP_SAT_SYM, 0> accum_t;
typedef ap_ufixed<8, 0, AP_TRN_ZERO, AP_SAT_ZERO> prob_t;
typedef ap_fixed<10, 4, AP_RND_INF, AP_WRAP, 2> sat_t;
typedef ap_fixed<6, -2, AP_RND_MIN_INF> tiny_t;
typedef ap_ufixed<6, 9, AP_RND_ZERO> coarse_t;

template <int N>
void dense(const data_t x[N], const weight_t w[N], const accum_t& b, data_t& y) {
#pragma HLS INLINE
#pragma HLS ARRAY_PARTITION variable = w complete
  accum_t acc = b;
  for (int i = 0; i < N; ++i) {
#pragma HLS UNROLL
    acc += x[i] * w[i];
  }
  y = acc;
}

void top(hls::stream<data_t>& in, hls::stream<data_t>& out) {
#pragma HLS INTERFACE axis port = in
#pragma HLS PIPELINE II = 1
  data_t x[4], y;
  weight_t w[4] = {0.5, -0.25, 1.0, 0.125};
  for (int i = 0; i < 4; ++i) x[i] = in.read();
  dense<4>(x, w, accum_t(0.5), y);
#ifndef __SYNTHESIS__
  std::cout << "y = " << y << std::endl;
#endif
  out.write(y);
  out << y;
}

void idioms() {
  ap_uint<32> word = 0;
  ap_uint<16> lo = 0xbeef, hi = 0xdead;
  word.range(31, 16) = hi;
  word.range(15, 0) = lo;
  word(7, 0) = 0x12;
  ap_uint<32> cat = (hi, lo);
  ap_uint<48> cat3 = (hi, lo, ap_uint<16>(1));
  (hi, lo) = word;
  ap_uint<1> flag = word[0];
  if (flag) word[1] = 1;
  bool b0 = word[0];
  word[2] = flag;
  word[3] = b0 ? 1 : 0;
  ap_uint<8> byte = word.range(7, 0);
  ap_int<12> s12 = -5;
  data_t d = 1.25;
  data_t e = d * 3;
  data_t f = 2 * d + d / 4;
  data_t g = d * s12;
  accum_t a2 = d * d;
  a2 -= d;
  a2 *= 2;
  float fl = d.to_float();
  double db = d.to_double();
  double db2 = d;
  int i0 = d.to_int();
  int i1 = byte;
  long long i2 = s12.to_int64();
  unsigned u0 = byte.to_uint();
  static int table[256];
  table[byte] = 1;
  table[word.range(7, 0)] = 2;
  std::string str = d.to_string(10) + byte.to_string(16) + s12.to_string(2, true);
  bool any = byte.or_reduce() || byte.and_reduce() || byte.xor_reduce();
  any = any && !byte.nor_reduce() && byte.nand_reduce() && byte.xnor_reduce();
  byte <<= 1;
  byte >>= ap_uint<3>(2);
  byte |= 0x80;
  byte &= ap_uint<8>(0x7f);
  byte ^= 3;
  byte++;
  --byte;
  ap_uint<9> sum = byte + lo.range(7, 0);
  bool cmp = byte == 3 && byte != s12 && d > 0.5 && d < e && e >= f && g <= d;
  prob_t p = 0.99;
  sat_t s = -100;
  tiny_t t = 0.01;
  coarse_t c = 300;
  ap_int<1024> wide = 1;
  wide <<= 1000;
  ap_uint<8> rev = byte;
  rev.reverse();
  rev.lrotate(3);
  rev.set_bit(0, true);
  int len = rev.length() + d.length();
  std::ostringstream os;
  os << word << byte << s12 << d << p << s << t << c << wide << std::hex << byte << word.range(7, 0)
     << cat << cat3 << fl << db << db2 << i0 << i1 << i2 << u0 << str << any << sum << cmp << len;
  ap_int<8> from_str("-0x12", 16);
  ap_fixed<12, 4> from_str2("3.125");
  auto prod = from_str * from_str2;
  os << table[0] << prod.to_double() << (-from_str) << (~byte) << (!byte);
  ap_fixed<16, 6> rng = d.range(15, 0);
  rng[15] = 0;
  ap_uint<4> nib = rng(3, 0);
  os << nib << rng;
}
