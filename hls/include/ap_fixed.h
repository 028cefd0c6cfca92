// ap_fixed.h: firmnet's clean-room ap_fixed<W,I,Q,O,N> / ap_ufixed<W,I,Q,O,N> for C-simulation
// of HLS code with plain g++. Written from the documented behaviour (AMD UG1399) and firmnet's
// fixed-point rules (docs/hls_headers.md); no vendor source.
//
// A value is raw * 2^(I-W), raw a W-bit two's complement (ap_fixed) or unsigned (ap_ufixed)
// integer; I may be negative or larger than W. Arithmetic between fixed types is exact:
//   a*b: W1+W2 bits, I1+I2 integer bits, signed if either is;
//   a+b, a-b: integer bits max(I1 + (S2 && !S1), I2 + (S1 && !S2)) + 1, fraction bits
//             max(F1, F2); a+b is signed if either operand is, a-b always signed;
//   a/b: W1 + max(F2, 0) + S2 bits, I1 + F2 + S2 integer bits (the quotient is truncated).
// Q and O apply only when a value is assigned or converted to a fixed type (including the
// assignment inside +=, *=, ...). ap_int and native integers take part as ap_fixed<W,W>;
// float/double operands make the expression a double. Conversion from float/double is exact
// before Q/O; NaN converts to 0.
#ifndef FIRMNET_HLS_AP_FIXED_H_
#define FIRMNET_HLS_AP_FIXED_H_

#include "ap_int.h"

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
struct ap_fixed_base;

namespace ap_detail {

template <int W1, int I1, bool S1, int W2, int I2, bool S2>
struct FixR {
  static constexpr int kF1 = W1 - I1;
  static constexpr int kF2 = W2 - I2;
  static constexpr int kMulW = W1 + W2;
  static constexpr int kMulI = I1 + I2;
  static constexpr int kPlusI = Max(I1 + (S2 && !S1), I2 + (S1 && !S2)) + 1;
  static constexpr int kPlusF = Max(kF1, kF2);
  static constexpr int kPlusW = kPlusI + kPlusF;
  static constexpr int kLogicI = kPlusI - 1;
  static constexpr int kLogicW = kLogicI + kPlusF;
  static constexpr int kDivW = W1 + Max(kF2, 0) + S2;
  static constexpr int kDivI = I1 + kF2 + S2;
  static constexpr bool kS = S1 || S2;
};

template <class T>
constexpr bool kIsFixed =
    std::is_base_of<FixedTag, std::remove_cv_t<std::remove_reference_t<T>>>::value;

}  // namespace ap_detail

template <int W, int I, bool S, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
struct ap_fixed_base : ap_detail::ConcatTag, ap_detail::FixedTag {
  static_assert(W >= 1, "ap_fixed width must be at least 1");
  static constexpr int width = W;
  static constexpr int iwidth = I;
  static constexpr bool sign_flag = S;
  static constexpr ap_q_mode qmode = Q;
  static constexpr ap_o_mode omode = O;
  static constexpr int sat_bits = N;
  static constexpr int kCatW = W;
  static constexpr int kLsb = I - W;  // value = raw * 2^kLsb

  ap_detail::Raw<W, S> raw_;

  ap_fixed_base() { raw_.Zero(); }
  ap_fixed_base(ap_detail::RawTag, const ap_detail::Raw<W, S>& r) : raw_(r) {}
  ap_fixed_base(const ap_fixed_base&) = default;
  ap_fixed_base& operator=(const ap_fixed_base&) = default;
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  ap_fixed_base(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& o)
      : raw_(ap_detail::CastRaw<W, S, Q, O, N, kLsb - (I2 - W2)>(o.raw_)) {}
  template <int W2, bool S2>
  ap_fixed_base(const ap_int_base<W2, S2>& o)
      : raw_(ap_detail::CastRaw<W, S, Q, O, N, kLsb>(o.raw_)) {}
  template <class T, ap_detail::EnableNative<T> = 0>
  ap_fixed_base(T x)
      : ap_fixed_base(ap_int_base<ap_detail::NativeInt<T>::kW, ap_detail::NativeInt<T>::kS>(x)) {}
  template <class T, ap_detail::EnableFloat<T> = 0>
  ap_fixed_base(T x) : raw_(ap_detail::CastDouble<W, S>(static_cast<double>(x), kLsb, Q, O, N)) {}
  ap_fixed_base(const char* s) { FromString(s, 10); }
  ap_fixed_base(const char* s, signed char radix) { FromString(s, radix); }
  ap_fixed_base(const std::string& s, signed char radix = 10) { FromString(s.c_str(), radix); }
  template <int W2, bool S2>
  ap_fixed_base(const ap_range_ref<W2, S2>& r) : ap_fixed_base(r.get()) {}
  template <int W2, bool S2>
  ap_fixed_base(const ap_bit_ref<W2, S2>& b) : ap_fixed_base(ap_uint<1>(b.get())) {}
  template <class A, class B>
  ap_fixed_base(const ap_concat_ref<A, B>& c) : ap_fixed_base(c.get()) {}

  // Replaces the raw bits (no Q/O): for HLS code that moves bit patterns.
  template <int W2, bool S2>
  ap_fixed_base& setBits(const ap_int_base<W2, S2>& bits) {
    raw_ = ap_detail::Resize<W, S>(bits.raw_);
    return *this;
  }
  ap_fixed_base& setBits(unsigned long long bits) { return setBits(ap_uint<64>(bits)); }
  static ap_fixed_base bitsToFixed(unsigned long long bits) {
    ap_fixed_base r;
    return r.setBits(bits);
  }

  // ---- conversions ----
  // The integer part, rounded toward zero like a C cast, in max(I, 1) bits.
  ap_int_base<ap_detail::Max(I, 1), S> to_ap_int_base() const {
    constexpr int kIW = ap_detail::Max(I, 1);
    return ap_int_base<kIW, S>(ap_detail::RawTag{},
                               ap_detail::CastRaw<kIW, S, AP_TRN_ZERO, AP_WRAP, 0, -kLsb>(raw_));
  }
  double to_double() const { return ap_detail::ToDouble(raw_, kLsb); }
  float to_float() const { return static_cast<float>(to_double()); }
  int to_int() const { return to_ap_int_base().to_int(); }
  unsigned to_uint() const { return to_ap_int_base().to_uint(); }
  long to_long() const { return to_ap_int_base().to_long(); }
  unsigned long to_ulong() const { return to_ap_int_base().to_ulong(); }
  long long to_int64() const { return to_ap_int_base().to_int64(); }
  unsigned long long to_uint64() const { return to_ap_int_base().to_uint64(); }
  bool to_bool() const { return !raw_.IsZero(); }
  operator double() const { return to_double(); }
  int length() const { return W; }
  // Radix 10 prints the exact decimal value; 2, 8, 16 print the bits with a binary point.
  std::string to_string(signed char radix = 2, bool sign = false) const {
    return ap_detail::FormatRaw(raw_.v, raw_.kL, W, S, kLsb, radix, sign);
  }
  std::string to_string(BaseMode radix, bool sign = false) const {
    return to_string(static_cast<signed char>(radix), sign);
  }

  // ---- bits of the raw value ----
  ap_bit_ref<W, S> operator[](int i) {
    Check(i);
    return ap_bit_ref<W, S>(&raw_, i);
  }
  bool operator[](int i) const {
    Check(i);
    return raw_.Bit(i);
  }
  template <int W2, bool S2>
  ap_bit_ref<W, S> operator[](const ap_int_base<W2, S2>& i) {
    return (*this)[i.to_int()];
  }
  ap_bit_ref<W, S> bit(int i) { return (*this)[i]; }
  bool get_bit(int i) const { return (*this)[i]; }
  void set_bit(int i, bool b) {
    Check(i);
    raw_.SetBit(i, b);
    raw_.Normalize();
  }
  ap_range_ref<W, S> range(int hi, int lo) const {
    return ap_range_ref<W, S>(const_cast<ap_detail::Raw<W, S>*>(&raw_), hi, lo);
  }
  template <int W2, bool S2, int W3, bool S3>
  ap_range_ref<W, S> range(const ap_int_base<W2, S2>& hi, const ap_int_base<W3, S3>& lo) const {
    return range(hi.to_int(), lo.to_int());
  }
  ap_range_ref<W, S> range() const { return range(W - 1, 0); }
  ap_range_ref<W, S> operator()(int hi, int lo) const { return range(hi, lo); }
  bool and_reduce() const { return range().and_reduce(); }
  bool or_reduce() const { return !raw_.IsZero(); }
  bool xor_reduce() const { return range().xor_reduce(); }
  bool nand_reduce() const { return !and_reduce(); }
  bool nor_reduce() const { return !or_reduce(); }
  bool xnor_reduce() const { return !xor_reduce(); }
  bool is_zero() const { return raw_.IsZero(); }
  bool iszero() const { return raw_.IsZero(); }
  bool sign() const { return raw_.Neg(); }
  int countLeadingZeros() const {
    return ap_int_base<W, S>(ap_detail::RawTag{}, raw_).countLeadingZeros();
  }

  // ---- compound assignment: exact operation, then this type's Q/O ----
  template <class T>
  ap_fixed_base& operator+=(const T& b) {
    return *this = *this + b;
  }
  template <class T>
  ap_fixed_base& operator-=(const T& b) {
    return *this = *this - b;
  }
  template <class T>
  ap_fixed_base& operator*=(const T& b) {
    return *this = *this * b;
  }
  template <class T>
  ap_fixed_base& operator/=(const T& b) {
    return *this = *this / b;
  }
  template <class T>
  ap_fixed_base& operator&=(const T& b) {
    return *this = *this & b;
  }
  template <class T>
  ap_fixed_base& operator|=(const T& b) {
    return *this = *this | b;
  }
  template <class T>
  ap_fixed_base& operator^=(const T& b) {
    return *this = *this ^ b;
  }
  template <class T>
  ap_fixed_base& operator<<=(const T& b) {
    return *this = *this << b;
  }
  template <class T>
  ap_fixed_base& operator>>=(const T& b) {
    return *this = *this >> b;
  }
  ap_fixed_base& operator++() {
    return *this += ap_fixed_base<2, 2, true>(ap_detail::RawTag{}, ap_detail::Raw<2, true>{{1}});
  }
  ap_fixed_base& operator--() {
    return *this -= ap_fixed_base<2, 2, true>(ap_detail::RawTag{}, ap_detail::Raw<2, true>{{1}});
  }
  ap_fixed_base operator++(int) {
    ap_fixed_base t = *this;
    ++*this;
    return t;
  }
  ap_fixed_base operator--(int) {
    ap_fixed_base t = *this;
    --*this;
    return t;
  }

  ap_detail::Raw<W, false> CatGet() const { return ap_detail::Resize<W, false>(raw_); }
  void CatSet(const ap_detail::Raw<W, false>& r) { raw_ = ap_detail::Resize<W, S>(r); }

 private:
  static void Check(int i) {
    if (i < 0 || i >= W) ap_detail::Fail("ap_fixed bit index", i, i, W);
  }
  void FromString(const char* s, int radix) {
    ap_detail::ParseToRaw(s, radix, kLsb, W, S, Q, O, N, raw_.v, raw_.kL);
    raw_.Normalize();
  }
};

template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
struct ap_fixed : ap_fixed_base<W, I, true, Q, O, N> {
  using Base = ap_fixed_base<W, I, true, Q, O, N>;
  using Base::Base;
  ap_fixed() = default;
  ap_fixed(const ap_fixed&) = default;
  ap_fixed& operator=(const ap_fixed&) = default;
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  ap_fixed(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& o) : Base(o) {}
};

template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
struct ap_ufixed : ap_fixed_base<W, I, false, Q, O, N> {
  using Base = ap_fixed_base<W, I, false, Q, O, N>;
  using Base::Base;
  ap_ufixed() = default;
  ap_ufixed(const ap_ufixed&) = default;
  ap_ufixed& operator=(const ap_ufixed&) = default;
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  ap_ufixed(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& o) : Base(o) {}
};

namespace ap_detail {
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
struct CatStore<ap_fixed_base<W, I, S, Q, O, N>> {
  using type = ap_fixed_base<W, I, S, Q, O, N>&;
};
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct CatStore<ap_fixed<W, I, Q, O, N>> {
  using type = ap_fixed_base<W, I, true, Q, O, N>&;
};
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct CatStore<ap_ufixed<W, I, Q, O, N>> {
  using type = ap_fixed_base<W, I, false, Q, O, N>&;
};

// Aligns a fixed raw value (lsb exponent E) to a finer lsb exponent, in RW bits.
template <int RW, bool RS, int W, bool S>
inline Raw<RW, RS> Align(const Raw<W, S>& a, int shift) {
  return ResizeShl<RW, RS>(a, shift);
}
}  // namespace ap_detail

// ---- arithmetic between fixed values ----

#define FIXB(W, I, S) ap_fixed_base<W, I, S, AP_TRN, AP_WRAP, 0>
#define FIXARGS1 int W1, int I1, bool S1, ap_q_mode Q1, ap_o_mode O1, int N1
#define FIXARGS2 int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2
#define FIXT1 ap_fixed_base<W1, I1, S1, Q1, O1, N1>
#define FIXT2 ap_fixed_base<W2, I2, S2, Q2, O2, N2>
#define FIXR ap_detail::FixR<W1, I1, S1, W2, I2, S2>

template <FIXARGS1, FIXARGS2>
inline auto operator*(const FIXT1& a, const FIXT2& b) {
  using R = FIXR;
  return FIXB(R::kMulW, R::kMulI, R::kS)(
      ap_detail::RawTag{},
      ap_detail::Ring<R::kMulW, R::kS, ap_detail::RingOp::kMul>(a.raw_, b.raw_));
}

#define FIRMNET_AP_FIXED_ADDLIKE(OP, RWK, RIK, SIGNED_EXPR, RING)                        \
  template <FIXARGS1, FIXARGS2>                                                          \
  inline auto operator OP(const FIXT1& a, const FIXT2& b) {                              \
    using R = FIXR;                                                                      \
    constexpr int kW = R::RWK;                                                           \
    constexpr bool kS = SIGNED_EXPR;                                                     \
    auto x = ap_detail::Align<kW, kS>(a.raw_, R::kPlusF - R::kF1);                       \
    auto y = ap_detail::Align<kW, kS>(b.raw_, R::kPlusF - R::kF2);                       \
    return FIXB(kW, R::RIK, kS)(ap_detail::RawTag{},                                     \
                                ap_detail::Ring<kW, kS, ap_detail::RingOp::RING>(x, y)); \
  }
FIRMNET_AP_FIXED_ADDLIKE(+, kPlusW, kPlusI, R::kS, kAdd)
FIRMNET_AP_FIXED_ADDLIKE(-, kPlusW, kPlusI, true, kSub)
FIRMNET_AP_FIXED_ADDLIKE(&, kLogicW, kLogicI, R::kS, kAnd)
FIRMNET_AP_FIXED_ADDLIKE(|, kLogicW, kLogicI, R::kS, kOr)
FIRMNET_AP_FIXED_ADDLIKE(^, kLogicW, kLogicI, R::kS, kXor)
#undef FIRMNET_AP_FIXED_ADDLIKE

template <FIXARGS1, FIXARGS2>
inline auto operator/(const FIXT1& a, const FIXT2& b) {
  using R = FIXR;
  constexpr int kK = ap_detail::Max(R::kF2, 0);
  constexpr int kNW = W1 + kK;
  auto num = ap_detail::ResizeShl<kNW, S1>(a.raw_, kK);
  FIXB(R::kDivW, R::kDivI, R::kS) q;
  ap_detail::DivMod<R::kDivW, R::kS, 1, false>(num, b.raw_, &q.raw_, nullptr);
  return q;
}

#define FIRMNET_AP_FIXED_CMP(OP)                                                   \
  template <FIXARGS1, FIXARGS2>                                                    \
  inline bool operator OP(const FIXT1& a, const FIXT2& b) {                        \
    using R = FIXR;                                                                \
    constexpr int kF = R::kPlusF;                                                  \
    constexpr int kA = W1 + (kF - R::kF1);                                         \
    constexpr int kB = W2 + (kF - R::kF2);                                         \
    return ap_detail::Compare(ap_detail::Align<kA, S1>(a.raw_, kF - R::kF1),       \
                              ap_detail::Align<kB, S2>(b.raw_, kF - R::kF2)) OP 0; \
  }
FIRMNET_AP_FIXED_CMP(==)
FIRMNET_AP_FIXED_CMP(!=)
FIRMNET_AP_FIXED_CMP(<)
FIRMNET_AP_FIXED_CMP(<=)
FIRMNET_AP_FIXED_CMP(>)
FIRMNET_AP_FIXED_CMP(>=)
#undef FIRMNET_AP_FIXED_CMP

#undef FIXR
#undef FIXT2
#undef FIXARGS2

// Unary minus: exact, one more integer bit, always signed.
template <FIXARGS1>
inline auto operator-(const FIXT1& a) {
  ap_detail::Raw<W1 + 1, true> zero;
  zero.Zero();
  return FIXB(W1 + 1, I1 + 1, true)(
      ap_detail::RawTag{}, ap_detail::Ring<W1 + 1, true, ap_detail::RingOp::kSub>(zero, a.raw_));
}
template <FIXARGS1>
inline FIXT1 operator+(const FIXT1& a) {
  return a;
}
template <FIXARGS1>
inline FIXT1 operator~(const FIXT1& a) {
  FIXT1 r;
  for (int i = 0; i < r.raw_.kL; ++i) r.raw_.v[i] = ~a.raw_.v[i];
  r.raw_.Normalize();
  return r;
}
template <FIXARGS1>
inline bool operator!(const FIXT1& a) {
  return a.raw_.IsZero();
}

// Shifts move the raw bits within the same type (bits shifted out are lost, no Q/O); a negative
// amount shifts the other way.
template <FIXARGS1>
inline FIXT1 ApFixedShiftLeft(const FIXT1& a, long long sh) {
  if (sh < 0) {
    return FIXT1(ap_detail::RawTag{},
                 ap_detail::ShrRaw(a.raw_, sh < -W1 ? W1 : static_cast<int>(-sh)));
  }
  return FIXT1(ap_detail::RawTag{},
               ap_detail::ResizeShl<W1, S1>(a.raw_, sh > W1 ? W1 + 1 : static_cast<int>(sh)));
}
template <FIXARGS1, class T, ap_detail::EnableNative<T> = 0>
inline FIXT1 operator<<(const FIXT1& a, T sh) {
  return ApFixedShiftLeft(a, static_cast<long long>(sh));
}
template <FIXARGS1, class T, ap_detail::EnableNative<T> = 0>
inline FIXT1 operator>>(const FIXT1& a, T sh) {
  return ApFixedShiftLeft(a, -static_cast<long long>(sh));
}
template <FIXARGS1, int W2, bool S2>
inline FIXT1 operator<<(const FIXT1& a, const ap_int_base<W2, S2>& sh) {
  return ApFixedShiftLeft(a, sh.to_int64());
}
template <FIXARGS1, int W2, bool S2>
inline FIXT1 operator>>(const FIXT1& a, const ap_int_base<W2, S2>& sh) {
  return ApFixedShiftLeft(a, -sh.to_int64());
}

// ---- mixed with ap_int, native integers and floating point ----

#define FIRMNET_AP_FIXED_MIXED(OP)                                        \
  template <FIXARGS1, int W2, bool S2>                                    \
  inline auto operator OP(const FIXT1& a, const ap_int_base<W2, S2>& b) { \
    return a OP FIXB(W2, W2, S2)(b);                                      \
  }                                                                       \
  template <FIXARGS1, int W2, bool S2>                                    \
  inline auto operator OP(const ap_int_base<W2, S2>& a, const FIXT1& b) { \
    return FIXB(W2, W2, S2)(a) OP b;                                      \
  }                                                                       \
  template <FIXARGS1, class T, ap_detail::EnableNative<T> = 0>            \
  inline auto operator OP(const FIXT1& a, T b) {                          \
    constexpr int kW = ap_detail::NativeInt<T>::kW;                       \
    return a OP FIXB(kW, kW, ap_detail::NativeInt<T>::kS)(b);             \
  }                                                                       \
  template <FIXARGS1, class T, ap_detail::EnableNative<T> = 0>            \
  inline auto operator OP(T a, const FIXT1& b) {                          \
    constexpr int kW = ap_detail::NativeInt<T>::kW;                       \
    return FIXB(kW, kW, ap_detail::NativeInt<T>::kS)(a) OP b;             \
  }                                                                       \
  template <FIXARGS1, class T, ap_detail::EnableFloat<T> = 0>             \
  inline auto operator OP(const FIXT1& a, T b) {                          \
    return a.to_double() OP b;                                            \
  }                                                                       \
  template <FIXARGS1, class T, ap_detail::EnableFloat<T> = 0>             \
  inline auto operator OP(T a, const FIXT1& b) {                          \
    return a OP b.to_double();                                            \
  }
FIRMNET_AP_FIXED_MIXED(+)
FIRMNET_AP_FIXED_MIXED(-)
FIRMNET_AP_FIXED_MIXED(*)
FIRMNET_AP_FIXED_MIXED(/)
FIRMNET_AP_FIXED_MIXED(==)
FIRMNET_AP_FIXED_MIXED(!=)
FIRMNET_AP_FIXED_MIXED(<)
FIRMNET_AP_FIXED_MIXED(<=)
FIRMNET_AP_FIXED_MIXED(>)
FIRMNET_AP_FIXED_MIXED(>=)
#undef FIRMNET_AP_FIXED_MIXED

#undef FIXT1
#undef FIXARGS1
#undef FIXB

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
inline std::ostream& operator<<(std::ostream& os, const ap_fixed_base<W, I, S, Q, O, N>& x) {
  // Through double, so that the stream's precision and format flags apply as for a float;
  // use to_string(10) for the exact decimal value of wide types.
  return os << x.to_double();
}

#endif  // FIRMNET_HLS_AP_FIXED_H_
