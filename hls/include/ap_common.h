// ap_common.h: the shared core of firmnet's clean-room ap_int / ap_fixed headers.
//
// These headers let g++ C-simulate HLS code without any vendor install. They are written from the
// documented behaviour (AMD UG1399) and from firmnet's own fixed-point rules (docs/semantics.md,
// docs/hls_headers.md); no vendor source was used.
//
// This file holds what ap_int.h and ap_fixed.h share:
//   - the quantization / overflow mode enums;
//   - ap_detail::Raw<W, S>: a W-bit two's complement (or unsigned) integer stored in 64-bit limbs,
//     always normalized (the bits above W are copies of the sign bit, or zeros when unsigned), so
//     that the limb array read as a (64*L)-bit signed integer *is* the value whenever S is true;
//   - the ring operations on Raw with compile-time result widths, with a native fast path when the
//     result fits one limb (or two, for products);
//   - the one cast routine that applies a Q/O rule, with int64 / int128 fast paths and a generic
//     limb path;
//   - exact parsing and printing of numbers in radix 2, 8, 10 and 16.
#ifndef FIRMNET_HLS_AP_COMMON_H_
#define FIRMNET_HLS_AP_COMMON_H_

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <string>
#include <vector>

// Quantization modes (UG1399). The numeric values are ours; code only names them.
enum ap_q_mode {
  AP_RND,          // to nearest, ties toward plus infinity
  AP_RND_ZERO,     // to nearest, ties toward zero
  AP_RND_MIN_INF,  // to nearest, ties toward minus infinity
  AP_RND_INF,      // to nearest, ties away from zero
  AP_RND_CONV,     // to nearest, ties to even
  AP_TRN,          // toward minus infinity (default)
  AP_TRN_ZERO,     // toward zero
};

// Overflow modes (UG1399). AP_WRAP_SM (sign-magnitude wrap) is declared so that code naming it
// fails with a clear static_assert instead of an unknown identifier.
enum ap_o_mode {
  AP_SAT,       // clamp to [min, max]
  AP_SAT_ZERO,  // zero on overflow
  AP_SAT_SYM,   // clamp to [-max, max] (signed), [0, max] (unsigned)
  AP_WRAP,      // keep the low W bits; with N > 0 the top N bits saturate
  AP_WRAP_SM,   // not supported
};

// Radix names used by to_string and the string constructors.
enum BaseMode { AP_BIN = 2, AP_OCT = 8, AP_DEC = 10, AP_HEX = 16 };

namespace ap_detail {

using u64 = uint64_t;
using i64 = int64_t;
using u128 = unsigned __int128;
using i128 = __int128;

constexpr int Limbs(int w) { return (w + 63) / 64; }
constexpr int Max(int a, int b) { return a > b ? a : b; }
constexpr int Min(int a, int b) { return a < b ? a : b; }

// ---------------------------------------------------------------------------------------------
// Runtime-length limb helpers (little-endian limbs, two's complement over n limbs).
// ---------------------------------------------------------------------------------------------

inline bool NegN(const u64* a, int n) { return static_cast<i64>(a[n - 1]) < 0; }

inline void AddN(u64* r, const u64* a, const u64* b, int n) {
  u64 carry = 0;
  for (int i = 0; i < n; ++i) {
    u128 t = static_cast<u128>(a[i]) + b[i] + carry;
    r[i] = static_cast<u64>(t);
    carry = static_cast<u64>(t >> 64);
  }
}

inline void SubN(u64* r, const u64* a, const u64* b, int n) {
  u64 borrow = 0;
  for (int i = 0; i < n; ++i) {
    u128 t = static_cast<u128>(a[i]) - b[i] - borrow;
    r[i] = static_cast<u64>(t);
    borrow = static_cast<u64>(t >> 64) & 1;
  }
}

inline void IncN(u64* r, int n) {
  for (int i = 0; i < n; ++i) {
    if (++r[i] != 0) return;
  }
}

inline void NegateN(u64* r, int n) {
  for (int i = 0; i < n; ++i) r[i] = ~r[i];
  IncN(r, n);
}

// r = a * b mod 2^(64n); r must not alias a or b.
inline void MulN(u64* r, const u64* a, const u64* b, int n) {
  for (int i = 0; i < n; ++i) r[i] = 0;
  for (int i = 0; i < n; ++i) {
    if (a[i] == 0) continue;
    u64 carry = 0;
    for (int j = 0; i + j < n; ++j) {
      u128 t = static_cast<u128>(a[i]) * b[j] + r[i + j] + carry;
      r[i + j] = static_cast<u64>(t);
      carry = static_cast<u64>(t >> 64);
    }
  }
}

// r = a << sh (bits shifted out are lost); r may alias a.
inline void ShlN(u64* r, const u64* a, int n, int sh) {
  int limb = sh / 64, bit = sh % 64;
  for (int i = n - 1; i >= limb; --i) {
    int s = i - limb;
    u64 v = a[s] << bit;
    if (bit != 0 && s > 0) v |= a[s - 1] >> (64 - bit);
    r[i] = v;
  }
  for (int i = (limb < n ? limb : n) - 1; i >= 0; --i) r[i] = 0;
}

// r = a >> sh, filling with the sign (arith) or zeros; r may alias a.
inline void ShrN(u64* r, const u64* a, int n, int sh, bool arith) {
  u64 fill = arith && NegN(a, n) ? ~u64{0} : 0;
  if (sh >= 64 * n) {
    for (int i = 0; i < n; ++i) r[i] = fill;
    return;
  }
  int limb = sh / 64, bit = sh % 64;
  for (int i = 0; i < n; ++i) {
    int s = i + limb;
    u64 hi = s < n ? a[s] : fill;
    u64 hi2 = s + 1 < n ? a[s + 1] : fill;
    r[i] = bit == 0 ? hi : (hi >> bit) | (hi2 << (64 - bit));
  }
}

// Bit i of the n-limb signed value (bits beyond the array are sign copies).
inline bool BitN(const u64* a, int n, int i) {
  if (i >= 64 * n) return NegN(a, n);
  return (a[i / 64] >> (i % 64)) & 1;
}

// Whether any of bits [0, k) is set (k may exceed the array: the rest are sign copies).
inline bool AnyLowN(const u64* a, int n, int k) {
  if (k <= 0) return false;
  if (k > 64 * n) return NegN(a, n) || AnyLowN(a, n, 64 * n);
  int full = k / 64, rem = k % 64;
  for (int i = 0; i < full; ++i) {
    if (a[i] != 0) return true;
  }
  return rem != 0 && (a[full] & ((u64{1} << rem) - 1)) != 0;
}

inline bool IsZeroN(const u64* a, int n) {
  for (int i = 0; i < n; ++i) {
    if (a[i] != 0) return false;
  }
  return true;
}

// Signed comparison of two n-limb values: -1, 0, 1.
inline int CmpSignedN(const u64* a, const u64* b, int n) {
  bool na = NegN(a, n), nb = NegN(b, n);
  if (na != nb) return na ? -1 : 1;
  for (int i = n - 1; i >= 0; --i) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

// Unsigned magnitudes: q = a / b, r = a % b (n limbs each; b != 0). Bit-serial long division:
// only used for W > 64, where division is rare in HLS code.
inline void DivModUnsignedN(const u64* a, const u64* b, u64* q, u64* r, int n) {
  for (int i = 0; i < n; ++i) q[i] = r[i] = 0;
  std::vector<u64> t(n);
  for (int i = 64 * n - 1; i >= 0; --i) {
    ShlN(r, r, n, 1);
    r[0] |= (a[i / 64] >> (i % 64)) & 1;
    // r >= b (unsigned)?
    int c = 0;
    for (int k = n - 1; k >= 0; --k) {
      if (r[k] != b[k]) {
        c = r[k] < b[k] ? -1 : 1;
        break;
      }
    }
    if (c >= 0) {
      SubN(t.data(), r, b, n);
      for (int k = 0; k < n; ++k) r[k] = t[k];
      q[i / 64] |= u64{1} << (i % 64);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The one Q/O rule on a runtime buffer. `work` (wl limbs, signed) holds an exact value
// src * 2^e; `drop` = (target lsb exponent) - e: the number of fraction bits to remove (> 0) or
// to append (< 0). The caller guarantees room for the left shift and for a (wt+1)-bit signed
// result. On return `work` holds the target's value as a signed wl-limb integer.
// ---------------------------------------------------------------------------------------------

inline bool QuantIncrement(int q, bool neg, bool half, bool rest, bool q_odd) {
  switch (q) {
    case AP_TRN:
      return false;
    case AP_TRN_ZERO:
      return neg && (half || rest);
    case AP_RND:
      return half;
    case AP_RND_ZERO:
      return half && (rest || neg);
    case AP_RND_MIN_INF:
      return half && rest;
    case AP_RND_INF:
      return half && (rest || !neg);
    case AP_RND_CONV:
      return half && (rest || q_odd);
    default:
      return false;
  }
}

// Sets work to the target's max (when !min) or min (when min) value.
inline void SetExtreme(u64* w, int wl, int wt, bool st, bool min) {
  for (int i = 0; i < wl; ++i) w[i] = 0;
  if (min) {
    if (!st) return;
    // -2^(wt-1): ones from bit wt-1 up.
    for (int i = 0; i < wl; ++i) w[i] = ~u64{0};
    ShlN(w, w, wl, wt - 1);
    return;
  }
  int bits = st ? wt - 1 : wt;  // max = 2^bits - 1
  for (int i = 0; i < bits / 64; ++i) w[i] = ~u64{0};
  if (bits % 64) w[bits / 64] = (u64{1} << (bits % 64)) - 1;
}

// Keeps the low wt bits, sign-extended (st) or zero-extended.
inline void TruncateN(u64* w, int wl, int wt, bool st) {
  int r = wt % 64, top = (wt - 1) / 64;
  u64 fill = 0;
  if (r == 0) {
    fill = st && static_cast<i64>(w[top]) < 0 ? ~u64{0} : 0;
  } else {
    if (st) {
      w[top] = static_cast<u64>(static_cast<i64>(w[top] << (64 - r)) >> (64 - r));
      fill = static_cast<i64>(w[top]) < 0 ? ~u64{0} : 0;
    } else {
      w[top] &= (u64{1} << r) - 1;
    }
  }
  for (int i = top + 1; i < wl; ++i) w[i] = fill;
}

// Whether the signed value in w fits the target range.
inline bool FitsN(const u64* w, int wl, int wt, bool st) {
  bool neg = NegN(w, wl);
  if (!st) {
    if (neg) return false;
    for (int i = wt; i < 64 * wl; ++i) {
      if (i % 64 == 0 && w[i / 64] == 0) {
        i += 63;
        continue;
      }
      if ((w[i / 64] >> (i % 64)) & 1) return false;
    }
    return true;
  }
  for (int i = wt - 1; i < 64 * wl; ++i) {
    if (((w[i / 64] >> (i % 64)) & 1) != static_cast<u64>(neg)) return false;
  }
  return true;
}

inline void CastCore(u64* w, int wl, int drop, int wt, bool st, int q, int o, int n) {
  if (drop < 0) {
    ShlN(w, w, wl, -drop);
  } else if (drop > 0) {
    bool neg = NegN(w, wl);
    bool half = BitN(w, wl, drop - 1);
    bool rest = AnyLowN(w, wl, drop - 1);
    ShrN(w, w, wl, drop, true);
    if (QuantIncrement(q, neg, half, rest, w[0] & 1)) IncN(w, wl);
  }
  if (FitsN(w, wl, wt, st)) {
    if (o == AP_SAT_SYM && st) {
      // The most negative value is never produced: it maps to -max.
      bool is_min = NegN(w, wl) && !AnyLowN(w, wl, wt - 1);
      if (is_min) IncN(w, wl);
    }
    return;
  }
  bool neg = NegN(w, wl);
  switch (o) {
    case AP_SAT:
      SetExtreme(w, wl, wt, st, neg);
      return;
    case AP_SAT_ZERO:
      for (int i = 0; i < wl; ++i) w[i] = 0;
      return;
    case AP_SAT_SYM:
      SetExtreme(w, wl, wt, st, neg);
      if (neg && st) IncN(w, wl);
      return;
    default:
      break;
  }
  TruncateN(w, wl, wt, st);
  if (n <= 0) return;
  // Force bits [wt-n, wt): signed: to the original sign; unsigned: ones on a positive overflow,
  // zeros on a negative one.
  bool ones = neg == st;
  for (int i = wt - n; i < wt; ++i) {
    u64 m = u64{1} << (i % 64);
    if (ones) {
      w[i / 64] |= m;
    } else {
      w[i / 64] &= ~m;
    }
  }
  if (st) TruncateN(w, wl, wt, st);  // re-extend the (possibly changed) sign bit
}

// ---------------------------------------------------------------------------------------------
// Raw<W, S>: normalized fixed-width integer storage.
// ---------------------------------------------------------------------------------------------

template <int W, bool S>
struct Raw {
  static_assert(W >= 1, "ap types need at least one bit");
  static constexpr int kL = Limbs(W);
  u64 v[kL];

  void Normalize() {
    constexpr int r = W % 64;
    if constexpr (r != 0) {
      if constexpr (S) {
        v[kL - 1] = static_cast<u64>(static_cast<i64>(v[kL - 1] << (64 - r)) >> (64 - r));
      } else {
        v[kL - 1] &= (u64{1} << r) - 1;
      }
    }
  }
  bool Neg() const {
    if constexpr (S) {
      return static_cast<i64>(v[kL - 1]) < 0;
    } else {
      return false;
    }
  }
  u64 Fill() const { return Neg() ? ~u64{0} : 0; }
  bool Bit(int i) const { return (v[i / 64] >> (i % 64)) & 1; }
  void SetBit(int i, bool b) {
    u64 m = u64{1} << (i % 64);
    v[i / 64] = b ? (v[i / 64] | m) : (v[i / 64] & ~m);
  }
  void Zero() {
    for (int i = 0; i < kL; ++i) v[i] = 0;
  }
  bool IsZero() const { return IsZeroN(v, kL); }
  // Copies into L limbs with sign / zero extension (or keeps the low limbs).
  template <int L>
  void ExtendTo(u64* out) const {
    u64 f = Fill();
    for (int i = 0; i < L; ++i) out[i] = i < kL ? v[i] : f;
  }
  // The value as int64 (valid when it fits) and the low 64 bits.
  i64 AsI64() const { return static_cast<i64>(v[0]); }
};

// Converts Raw to a native signed working integer T (int64 or int128) when it fits.
template <class T, int W, bool S>
inline T ToNative(const Raw<W, S>& a) {
  if constexpr (Raw<W, S>::kL == 1) {
    if constexpr (S) {
      return static_cast<T>(static_cast<i64>(a.v[0]));
    } else {
      return static_cast<T>(a.v[0]);
    }
  } else {
    static_assert(sizeof(T) == 16 && Raw<W, S>::kL == 2, "no native type for this width");
    return static_cast<T>((static_cast<u128>(a.v[1]) << 64) | a.v[0]);
  }
}

// From a signed native value (int64 or int128), wrapped to RW bits.
template <int RW, bool RS, class T>
inline Raw<RW, RS> FromNative(T x) {
  Raw<RW, RS> r;
  r.v[0] = static_cast<u64>(x);
  if constexpr (Raw<RW, RS>::kL >= 2) {
    i128 y = x;
    r.v[1] = static_cast<u64>(static_cast<u128>(y) >> 64);
    for (int i = 2; i < Raw<RW, RS>::kL; ++i) r.v[i] = y < 0 ? ~u64{0} : 0;
  }
  r.Normalize();
  return r;
}

// Resize with wrap-around: the low RW bits of a, then normalized.
template <int RW, bool RS, int W, bool S>
inline Raw<RW, RS> Resize(const Raw<W, S>& a) {
  Raw<RW, RS> r;
  a.template ExtendTo<Raw<RW, RS>::kL>(r.v);
  r.Normalize();
  return r;
}

// (a << sh) mod 2^RW, with a first extended by its own signedness.
template <int RW, bool RS, int W, bool S>
inline Raw<RW, RS> ResizeShl(const Raw<W, S>& a, int sh) {
  Raw<RW, RS> r;
  constexpr int L = Raw<RW, RS>::kL;
  if constexpr (L == 1) {
    r.v[0] = sh >= 64 ? 0 : a.v[0] << sh;
  } else {
    a.template ExtendTo<L>(r.v);
    if (sh) ShlN(r.v, r.v, L, sh);
  }
  r.Normalize();
  return r;
}

enum class RingOp { kAdd, kSub, kMul, kAnd, kOr, kXor };

// a op b mod 2^RW, each operand first extended by its own signedness.
template <int RW, bool RS, RingOp op, int W1, bool S1, int W2, bool S2>
inline Raw<RW, RS> Ring(const Raw<W1, S1>& a, const Raw<W2, S2>& b) {
  Raw<RW, RS> r;
  constexpr int L = Raw<RW, RS>::kL;
  if constexpr (L == 1) {
    u64 x = a.v[0], y = b.v[0];
    if constexpr (op == RingOp::kAdd) r.v[0] = x + y;
    if constexpr (op == RingOp::kSub) r.v[0] = x - y;
    if constexpr (op == RingOp::kMul) r.v[0] = x * y;
    if constexpr (op == RingOp::kAnd) r.v[0] = x & y;
    if constexpr (op == RingOp::kOr) r.v[0] = x | y;
    if constexpr (op == RingOp::kXor) r.v[0] = x ^ y;
  } else if constexpr (L == 2 && op != RingOp::kAnd && op != RingOp::kOr && op != RingOp::kXor) {
    u64 xa[2], ya[2];
    a.template ExtendTo<2>(xa);
    b.template ExtendTo<2>(ya);
    u128 x = (static_cast<u128>(xa[1]) << 64) | xa[0];
    u128 y = (static_cast<u128>(ya[1]) << 64) | ya[0];
    u128 z = op == RingOp::kAdd ? x + y : op == RingOp::kSub ? x - y : x * y;
    r.v[0] = static_cast<u64>(z);
    r.v[1] = static_cast<u64>(z >> 64);
  } else {
    u64 x[L], y[L];
    a.template ExtendTo<L>(x);
    b.template ExtendTo<L>(y);
    if constexpr (op == RingOp::kAdd) AddN(r.v, x, y, L);
    if constexpr (op == RingOp::kSub) SubN(r.v, x, y, L);
    if constexpr (op == RingOp::kMul) MulN(r.v, x, y, L);
    if constexpr (op == RingOp::kAnd) {
      for (int i = 0; i < L; ++i) r.v[i] = x[i] & y[i];
    }
    if constexpr (op == RingOp::kOr) {
      for (int i = 0; i < L; ++i) r.v[i] = x[i] | y[i];
    }
    if constexpr (op == RingOp::kXor) {
      for (int i = 0; i < L; ++i) r.v[i] = x[i] ^ y[i];
    }
  }
  r.Normalize();
  return r;
}

// Exact comparison of two values of any widths: -1, 0, 1.
template <int W1, bool S1, int W2, bool S2>
inline int Compare(const Raw<W1, S1>& a, const Raw<W2, S2>& b) {
  if constexpr (Raw<W1, S1>::kL == 1 && Raw<W2, S2>::kL == 1) {
    i128 x = ToNative<i128>(a), y = ToNative<i128>(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  } else {
    constexpr int L = Max(Raw<W1, S1>::kL, Raw<W2, S2>::kL) + 1;
    u64 x[L], y[L];
    a.template ExtendTo<L>(x);
    b.template ExtendTo<L>(y);
    return CmpSignedN(x, y, L);
  }
}

// Truncating division and remainder (C semantics: quotient toward zero, remainder takes the
// dividend's sign). Division by zero gives quotient 0 and remainder a: deterministic, no trap.
template <int QW, bool QS, int RW, bool RS, int W1, bool S1, int W2, bool S2>
inline void DivMod(const Raw<W1, S1>& a, const Raw<W2, S2>& b, Raw<QW, QS>* q, Raw<RW, RS>* r) {
  if (b.IsZero()) {
    if (q) q->Zero();
    if (r) *r = Resize<RW, RS>(a);
    return;
  }
  if constexpr (Raw<W1, S1>::kL == 1 && Raw<W2, S2>::kL == 1) {
    i128 x = ToNative<i128>(a), y = ToNative<i128>(b);
    if (q) *q = FromNative<QW, QS>(static_cast<i128>(x / y));
    if (r) *r = FromNative<RW, RS>(static_cast<i128>(x % y));
  } else {
    constexpr int L = Max(Raw<W1, S1>::kL, Raw<W2, S2>::kL) + 1;
    u64 x[L], y[L], qq[L], rr[L];
    a.template ExtendTo<L>(x);
    b.template ExtendTo<L>(y);
    bool nx = NegN(x, L), ny = NegN(y, L);
    if (nx) NegateN(x, L);
    if (ny) NegateN(y, L);
    DivModUnsignedN(x, y, qq, rr, L);
    if (nx != ny) NegateN(qq, L);
    if (nx) NegateN(rr, L);
    if (q) {
      Raw<L * 64, true> t;
      for (int i = 0; i < L; ++i) t.v[i] = qq[i];
      *q = Resize<QW, QS>(t);
    }
    if (r) {
      Raw<L * 64, true> t;
      for (int i = 0; i < L; ++i) t.v[i] = rr[i];
      *r = Resize<RW, RS>(t);
    }
  }
}

// Logical (unsigned) or arithmetic (signed) right shift within the type; sh >= 0.
template <int W, bool S>
inline Raw<W, S> ShrRaw(const Raw<W, S>& a, int sh) {
  Raw<W, S> r;
  if constexpr (Raw<W, S>::kL == 1) {
    if constexpr (S) {
      r.v[0] = static_cast<u64>(static_cast<i64>(a.v[0]) >> (sh >= 64 ? 63 : sh));
    } else {
      r.v[0] = sh >= 64 ? 0 : a.v[0] >> sh;
    }
  } else {
    ShrN(r.v, a.v, Raw<W, S>::kL, sh, S);
  }
  return r;
}

// Nearest double of raw * 2^exp (round to nearest even, exact when it has <= 53 significant
// bits).
template <int W, bool S>
inline double ToDouble(const Raw<W, S>& a, int exp) {
  if constexpr (Raw<W, S>::kL == 1) {
    double d = S ? static_cast<double>(static_cast<i64>(a.v[0])) : static_cast<double>(a.v[0]);
    return exp == 0 ? d : std::ldexp(d, exp);
  } else {
    constexpr int L = Raw<W, S>::kL + 1;
    u64 x[L];
    a.template ExtendTo<L>(x);
    bool neg = NegN(x, L);
    if (neg) NegateN(x, L);
    int top = -1;
    for (int i = L - 1; i >= 0 && top < 0; --i) {
      if (x[i]) top = 64 * i + 63 - __builtin_clzll(x[i]);
    }
    if (top < 0) return 0.0;
    double d;
    if (top < 64) {
      d = static_cast<double>(x[0]);
    } else {
      // Top 64 bits with a sticky bit for the rest: one correctly rounded conversion.
      int sh = top - 63;
      bool sticky = AnyLowN(x, L, sh);
      u64 y[L];
      ShrN(y, x, L, sh, false);
      d = std::ldexp(static_cast<double>(y[0] | (sticky ? 1 : 0)), sh);
    }
    d = std::ldexp(d, exp);
    return neg ? -d : d;
  }
}

// ---------------------------------------------------------------------------------------------
// Casting between fixed-point formats: raw value of (Ws, Ss) at lsb exponent Es to a (Wt, St)
// format at lsb exponent Et, with Q/O. kDrop = Et - Es.
// ---------------------------------------------------------------------------------------------

template <class T>
struct UnsignedOf;
template <>
struct UnsignedOf<i64> {
  using type = u64;
};
template <>
struct UnsignedOf<i128> {
  using type = u128;
};

template <class T, int kDrop, int Wt, bool St, int Q, int O, int N>
inline T CastNative(T s) {
  using U = typename UnsignedOf<T>::type;
  constexpr int kTB = static_cast<int>(sizeof(T) * 8);
  T y;
  if constexpr (kDrop < 0) {
    y = static_cast<T>(static_cast<U>(s) << (-kDrop));
  } else if constexpr (kDrop == 0) {
    y = s;
  } else {
    T q = s >> kDrop;
    if constexpr (Q == AP_TRN) {
      y = q;
    } else {
      constexpr U kHalf = U{1} << (kDrop - 1);
      U r = static_cast<U>(s) & ((U{1} << kDrop) - 1);
      bool inc;
      if constexpr (Q == AP_TRN_ZERO) inc = s < 0 && r != 0;
      if constexpr (Q == AP_RND) inc = r >= kHalf;
      if constexpr (Q == AP_RND_ZERO) inc = r > kHalf || (r == kHalf && s < 0);
      if constexpr (Q == AP_RND_MIN_INF) inc = r > kHalf;
      if constexpr (Q == AP_RND_INF) inc = r > kHalf || (r == kHalf && s >= 0);
      if constexpr (Q == AP_RND_CONV) inc = r > kHalf || (r == kHalf && (q & 1));
      y = q + static_cast<T>(inc);
    }
  }
  constexpr U kMaxU = St ? (U{1} << (Wt - 1)) - 1 : (U{1} << Wt) - 1;
  constexpr T kMax = static_cast<T>(kMaxU);
  constexpr T kMin = St ? -kMax - 1 : 0;
  auto wrap = [](T x) -> T {
    if constexpr (St) {
      return static_cast<T>(static_cast<U>(x) << (kTB - Wt)) >> (kTB - Wt);
    } else {
      return static_cast<T>(static_cast<U>(x) & kMaxU);
    }
  };
  if constexpr (O == AP_WRAP && N == 0) {
    return wrap(y);  // branch-free: the common case in HLS code
  } else {
    if (y > kMax || y < kMin) {
      [[maybe_unused]] bool neg = y < 0;
      if constexpr (O == AP_SAT) return neg ? kMin : kMax;
      if constexpr (O == AP_SAT_ZERO) return 0;
      if constexpr (O == AP_SAT_SYM) return neg ? (St ? -kMax : 0) : kMax;
      if constexpr (O == AP_WRAP) {
        T w = wrap(y);
        constexpr U kLowMask = (U{1} << (Wt - N)) - 1;
        if (neg == St) {
          // Set the top N bits (signed: also the sign extension above).
          w = static_cast<T>(static_cast<U>(w) | (St ? ~kLowMask : (kMaxU & ~kLowMask)));
        } else {
          w = static_cast<T>(static_cast<U>(w) & kLowMask);
        }
        return w;
      }
    }
    if constexpr (O == AP_SAT_SYM && St) {
      if (y == kMin) return -kMax;
    }
    return y;
  }
}

template <int Wt, bool St, int Q, int O, int N, int kDrop, int Ws, bool Ss>
inline Raw<Wt, St> CastRaw(const Raw<Ws, Ss>& s) {
  static_assert(O != AP_WRAP_SM, "AP_WRAP_SM is not supported by firmnet's ap_fixed");
  static_assert(N >= 0 && N <= Wt, "saturation bits N must be in [0, W]");
  constexpr int kWsig = Ws + (Ss ? 0 : 1);
  constexpr int kWork = Max(kDrop < 0 ? kWsig - kDrop : Max(kWsig - kDrop, 1) + 1, Wt + 1);
  if constexpr (kWork <= 64 && kWsig <= 64 && kDrop <= 62 && kDrop >= -62) {
    i64 y = CastNative<i64, kDrop, Wt, St, Q, O, N>(ToNative<i64>(s));
    return FromNative<Wt, St>(y);
  } else if constexpr (kWork <= 128 && kWsig <= 128 && kDrop <= 126 && kDrop >= -126) {
    i128 y = CastNative<i128, kDrop, Wt, St, Q, O, N>(ToNative<i128>(s));
    return FromNative<Wt, St>(y);
  } else {
    constexpr int L = Limbs(Max(kWsig, kWork)) + 1;
    u64 w[L];
    s.template ExtendTo<L>(w);
    CastCore(w, L, kDrop, Wt, St, Q, O, N);
    Raw<Wt, St> r;
    for (int i = 0; i < Raw<Wt, St>::kL; ++i) r.v[i] = w[i];
    r.Normalize();
    return r;
  }
}

// Exact double -> (wt, st) format at lsb exponent `lsb_exp`, with Q/O, into out (out_limbs
// limbs). NaN gives 0; infinities behave like a huge value of their sign. Kept out of line:
// generated code initializes thousands of constant weights from double literals, and inlining
// this into every initializer would multiply compile time.
__attribute__((noinline)) inline void CastDoubleCore(double d, int lsb_exp, int wt, bool st, int q,
                                                     int o, int n, u64* out, int out_limbs) {
  for (int i = 0; i < out_limbs; ++i) out[i] = 0;
  if (std::isnan(d) || d == 0.0) return;  // zero fits every format
  i64 m;
  long e;
  if (std::isinf(d)) {
    m = d < 0 ? -1 : 1;
    e = static_cast<long>(wt) + 4 + (lsb_exp > 0 ? lsb_exp : 0) + 4096;
  } else {
    int e2;
    double f = std::frexp(d, &e2);  // d = f * 2^e2, 0.5 <= |f| < 1
    m = static_cast<i64>(std::ldexp(f, 53));
    e = e2 - 53;
  }
  // Value m * 2^e; drop = lsb_exp - e. Clamp huge shifts: the result no longer depends on them
  // (|m| < 2^53, so beyond 60 every bit is below the half bit; beyond wt+2 to the left the value
  // certainly overflows with all-zero low bits).
  long drop = static_cast<long>(lsb_exp) - e;
  if (drop > 60) drop = 60;
  if (drop < -(wt + 2)) drop = -(wt + 2);
  int wl = Limbs(wt + 64 + 4) + 1;
  std::vector<u64> w(wl, m < 0 ? ~u64{0} : 0);
  w[0] = static_cast<u64>(m);
  CastCore(w.data(), wl, static_cast<int>(drop), wt, st, q, o, n);
  for (int i = 0; i < out_limbs; ++i) out[i] = w[i];
}

template <int Wt, bool St>
inline Raw<Wt, St> CastDouble(double d, int lsb_exp, int q, int o, int n) {
  Raw<Wt, St> r;
  CastDoubleCore(d, lsb_exp, Wt, St, q, o, n, r.v, Raw<Wt, St>::kL);
  r.Normalize();
  return r;
}

// ---------------------------------------------------------------------------------------------
// Strings.
// ---------------------------------------------------------------------------------------------

inline int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// Parses "[-+][0b|0o|0x]digits[.digits]" (radix from the prefix, else `radix`) and casts it with
// Q/O to a (wt, st) target at lsb exponent lsb_exp; the result goes to out (out_limbs limbs).
// Invalid characters end the number (like strtod); a string without digits gives 0. Decimal
// fractions are converted exactly: enough binary digits plus a sticky bit decide every rounding.
inline void ParseToRaw(const char* s, int radix, int lsb_exp, int wt, bool st, int q, int o, int n,
                       u64* out, int out_limbs) {
  while (*s == ' ' || *s == '\t') ++s;
  bool neg = false;
  if (*s == '-' || *s == '+') neg = *s++ == '-';
  if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
    radix = 2, s += 2;
  else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
    radix = 8, s += 2;
  else if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
    radix = 16, s += 2;
  if (radix != 2 && radix != 8 && radix != 16) radix = 10;
  std::vector<int> int_digits, frac_digits;
  bool point = false;
  for (; *s; ++s) {
    if (*s == '.' && !point) {
      point = true;
      continue;
    }
    if (*s == '\'' || *s == '_') continue;  // digit separators
    int dv = DigitValue(*s);
    if (dv >= radix) break;
    (point ? frac_digits : int_digits).push_back(dv);
  }
  // Exact magnitude mag * 2^-fb, plus `sticky` for a decimal fraction that does not terminate.
  int fb;
  bool sticky = false;
  std::vector<int> bits;  // fraction bits, most significant first
  if (radix == 10) {
    int frac_target = Max(-lsb_exp, 0) + 2;
    std::vector<int> f = frac_digits;
    for (int i = 0; i < frac_target; ++i) {
      int carry = 0;
      for (int k = static_cast<int>(f.size()) - 1; k >= 0; --k) {
        int t = f[k] * 2 + carry;
        f[k] = t % 10;
        carry = t / 10;
      }
      bits.push_back(carry);
    }
    for (int dgt : f) sticky = sticky || dgt != 0;
    fb = frac_target;
  } else {
    int per = radix == 2 ? 1 : (radix == 8 ? 3 : 4);
    for (int dgt : frac_digits) {
      for (int b = per - 1; b >= 0; --b) bits.push_back((dgt >> b) & 1);
    }
    fb = static_cast<int>(bits.size());
  }
  // Integer part in binary: repeated multiply-add on limbs.
  int int_bits_est = static_cast<int>(int_digits.size()) * 4 + 2;
  int wl = Limbs(int_bits_est + fb + 2 + Max(0, -(lsb_exp + fb + 1)) + wt + 4) + 1;
  if (wl < 2) wl = 2;
  std::vector<u64> w(wl, 0);
  for (int dgt : int_digits) {
    u64 carry = static_cast<u64>(dgt);
    for (int i = 0; i < wl; ++i) {
      u128 t = static_cast<u128>(w[i]) * static_cast<u64>(radix) + carry;
      w[i] = static_cast<u64>(t);
      carry = static_cast<u64>(t >> 64);
    }
  }
  // Append fraction bits and the sticky bit: w = (int << fb | bits) << 1 | sticky.
  ShlN(w.data(), w.data(), wl, fb + 1);
  for (int i = 0; i < fb; ++i) {
    if (bits[i]) {
      int pos = fb - i;  // bit position above the sticky bit
      w[pos / 64] |= u64{1} << (pos % 64);
    }
  }
  if (sticky) w[0] |= 1;
  if (neg) NegateN(w.data(), wl);
  // value = w * 2^-(fb+1); drop = lsb_exp + fb + 1.
  CastCore(w.data(), wl, lsb_exp + fb + 1, wt, st, q, o, n);
  for (int i = 0; i < out_limbs; ++i) out[i] = i < wl ? w[i] : (NegN(w.data(), wl) ? ~u64{0} : 0);
}

// Formats raw * 2^lsb_exp. Radix 10: exact decimal with '-' (e.g. "-1.375"). Radix 2/8/16:
// "0b"/"0o"/"0x" digits of the raw bits (two's complement when !show_sign; with show_sign a
// negative value prints as '-' and its magnitude), with a binary point where the lsb exponent
// puts one.
inline std::string FormatRaw(const u64* raw, int limbs, int w, bool s, int lsb_exp, int radix,
                             bool show_sign) {
  int wl = Limbs(64 * limbs + Max(lsb_exp, 0) + Max(-lsb_exp, 0) + 8) + 1;
  std::vector<u64> m(wl);
  bool neg = s && NegN(raw, limbs);
  for (int i = 0; i < wl; ++i) m[i] = i < limbs ? raw[i] : (neg ? ~u64{0} : 0);
  if (!s) {
    // zero-extend exactly w bits
    for (int i = limbs; i < wl; ++i) m[i] = 0;
  }
  std::string out;
  if (radix != 2 && radix != 8 && radix != 16) radix = 10;
  if (radix != 10 && !show_sign && neg) {
    // two's complement bits of the w-bit field
    TruncateN(m.data(), wl, w, false);
    neg = false;
  }
  if (neg) {
    NegateN(m.data(), wl);
    out += '-';
  }
  // magnitude m * 2^lsb_exp, m >= 0
  int frac_bits = lsb_exp < 0 ? -lsb_exp : 0;
  if (lsb_exp > 0) ShlN(m.data(), m.data(), wl, lsb_exp);
  // integer part = m >> frac_bits, fraction = low frac_bits bits
  std::vector<u64> ip(wl), fp(wl);
  ShrN(ip.data(), m.data(), wl, frac_bits, false);
  for (int i = 0; i < wl; ++i) fp[i] = m[i];
  if (frac_bits == 0) {
    fp.assign(wl, 0);
  } else {
    TruncateN(fp.data(), wl, frac_bits, false);
  }
  std::string digits;
  if (radix == 10) {
    if (IsZeroN(ip.data(), wl)) digits = "0";
    while (!IsZeroN(ip.data(), wl)) {
      u64 rem = 0;
      for (int i = wl - 1; i >= 0; --i) {
        u128 cur = (static_cast<u128>(rem) << 64) | ip[i];
        ip[i] = static_cast<u64>(cur / 10);
        rem = static_cast<u64>(cur % 10);
      }
      digits.insert(digits.begin(), static_cast<char>('0' + rem));
    }
    out += digits;
    if (!IsZeroN(fp.data(), wl)) {
      out += '.';
      // Each step multiplies the fraction by 10 and takes the bits above frac_bits.
      std::vector<u64> f = fp, t(wl);
      while (!IsZeroN(f.data(), wl)) {
        u64 carry = 0;
        for (int i = 0; i < wl; ++i) {
          u128 x = static_cast<u128>(f[i]) * 10 + carry;
          f[i] = static_cast<u64>(x);
          carry = static_cast<u64>(x >> 64);
        }
        ShrN(t.data(), f.data(), wl, frac_bits, false);
        out += static_cast<char>('0' + t[0]);
        TruncateN(f.data(), wl, frac_bits, false);
      }
    }
    return out;
  }
  int per = radix == 2 ? 1 : (radix == 8 ? 3 : 4);
  out += radix == 2 ? "0b" : (radix == 8 ? "0o" : "0x");
  // Integer digits: from the field's width (the digits of the whole w-bit field at least).
  int ibits = Max(w + lsb_exp, 1);
  int ndig = (ibits + per - 1) / per;
  for (int k = ndig - 1; k >= 0; --k) {
    int dv = 0;
    for (int b = per - 1; b >= 0; --b) dv = dv * 2 + BitN(ip.data(), wl, k * per + b);
    digits += "0123456789abcdef"[dv];
  }
  out += digits;
  if (frac_bits > 0) {
    out += '.';
    int fd = (frac_bits + per - 1) / per;
    for (int k = 0; k < fd; ++k) {
      int dv = 0;
      for (int b = 0; b < per; ++b) {
        int pos = frac_bits - 1 - (k * per + b);
        dv = dv * 2 + (pos >= 0 ? BitN(fp.data(), wl, pos) : 0);
      }
      out += "0123456789abcdef"[dv];
    }
  }
  return out;
}

}  // namespace ap_detail

#endif  // FIRMNET_HLS_AP_COMMON_H_
