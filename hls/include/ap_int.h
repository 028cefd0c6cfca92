// ap_int.h: firmnet's clean-room ap_int<W> / ap_uint<W> (1 <= W <= 1024) for C-simulation of
// HLS code with plain g++. Written from the documented behaviour (AMD UG1399); no vendor source.
//
// Arithmetic between ap types is exact, with the result widths of UG1399:
//   a*b: W1+W2 bits;  a+b, a-b: max(W1 + (S2 && !S1), W2 + (S1 && !S2)) + 1 bits;
//   a/b: W1+S2 bits;  a%b: min(W1, W2 + (S1 && !S2)) bits, signed like a;
//   a&b, a|b, a^b: max(W1 + (S2 && !S1), W2 + (S1 && !S2)) bits.
// The result of a subtraction is always signed; the others are signed if either operand is.
// Assigning to a narrower ap_int keeps the low bits (wrap-around). Native integers take part as
// ap types of their own width and signedness (int = ap_int<32>); float/double operands make the
// expression a double. Including this header also provides ap_fixed (see ap_fixed.h).
#ifndef FIRMNET_HLS_AP_INT_H_
#define FIRMNET_HLS_AP_INT_H_

#include <climits>
#include <type_traits>

#include "ap_common.h"

template <int W, bool S>
struct ap_int_base;
template <int W>
struct ap_int;
template <int W>
struct ap_uint;
template <int W, bool S>
struct ap_range_ref;
template <int W, bool S>
struct ap_bit_ref;
template <class A, class B>
struct ap_concat_ref;

namespace ap_detail {

// What a native integer type looks like as an ap type.
template <class T>
struct NativeInt {
  static constexpr bool kIs = false;
};
#define FIRMNET_AP_NATIVE(T, BITS, SIGNED) \
  template <>                              \
  struct NativeInt<T> {                    \
    static constexpr bool kIs = true;      \
    static constexpr int kW = BITS;        \
    static constexpr bool kS = SIGNED;     \
  };
FIRMNET_AP_NATIVE(bool, 1, false)
FIRMNET_AP_NATIVE(char, 8, CHAR_MIN < 0)
FIRMNET_AP_NATIVE(signed char, 8, true)
FIRMNET_AP_NATIVE(unsigned char, 8, false)
FIRMNET_AP_NATIVE(short, 16, true)
FIRMNET_AP_NATIVE(unsigned short, 16, false)
FIRMNET_AP_NATIVE(int, 32, true)
FIRMNET_AP_NATIVE(unsigned int, 32, false)
FIRMNET_AP_NATIVE(long, static_cast<int>(sizeof(long) * 8), true)
FIRMNET_AP_NATIVE(unsigned long, static_cast<int>(sizeof(long) * 8), false)
FIRMNET_AP_NATIVE(long long, 64, true)
FIRMNET_AP_NATIVE(unsigned long long, 64, false)
#undef FIRMNET_AP_NATIVE

template <class T>
using EnableNative = std::enable_if_t<NativeInt<T>::kIs, int>;
template <class T>
using EnableFloat = std::enable_if_t<std::is_floating_point<T>::value, int>;

// Tag for everything that can be concatenated with the comma operator.
struct ConcatTag {};
template <class T>
constexpr bool kIsCat =
    std::is_base_of<ConcatTag, std::remove_cv_t<std::remove_reference_t<T>>>::value;

// Result widths of integer arithmetic (see the file comment).
template <int W1, bool S1, int W2, bool S2>
struct IntR {
  static constexpr int kMulW = W1 + W2;
  static constexpr int kPlusW = Max(W1 + (S2 && !S1), W2 + (S1 && !S2)) + 1;
  static constexpr int kLogicW = Max(W1 + (S2 && !S1), W2 + (S1 && !S2));
  static constexpr int kDivW = W1 + S2;
  static constexpr int kModW = Min(W1, W2 + (S1 && !S2));
  static constexpr bool kS = S1 || S2;
};

template <class T>
inline i128 NativeToI128(T x) {
  return static_cast<i128>(x);
}

[[noreturn]] inline void Fail(const char* what, int a, int b, int w) {
  std::fprintf(stderr, "ap_int: %s out of range: (%d, %d) for a %d-bit value\n", what, a, b, w);
  std::abort();
}

struct RawTag {};
// Base of every ap_fixed_base, so that ap_int can convert from it before ap_fixed is defined.
struct FixedTag {};

}  // namespace ap_detail

template <int W, bool S>
struct ap_int_base : ap_detail::ConcatTag {
  static_assert(W >= 1 && W <= 4096, "ap_int width must be in [1, 1024] (4096 for intermediates)");
  static constexpr int width = W;
  static constexpr bool sign_flag = S;
  static constexpr int kCatW = W;
  using RetType = std::conditional_t<(W <= 32), std::conditional_t<S, int, unsigned>,
                                     std::conditional_t<S, long long, unsigned long long>>;

  ap_detail::Raw<W, S> raw_;

  ap_int_base() { raw_.Zero(); }
  ap_int_base(ap_detail::RawTag, const ap_detail::Raw<W, S>& r) : raw_(r) {}
  ap_int_base(const ap_int_base&) = default;
  ap_int_base& operator=(const ap_int_base&) = default;
  template <int W2, bool S2>
  ap_int_base(const ap_int_base<W2, S2>& o) : raw_(ap_detail::Resize<W, S>(o.raw_)) {}
  template <class T, ap_detail::EnableNative<T> = 0>
  ap_int_base(T x) : raw_(ap_detail::FromNative<W, S>(ap_detail::NativeToI128(x))) {}
  template <class T, ap_detail::EnableFloat<T> = 0>
  ap_int_base(T x)
      : raw_(ap_detail::CastDouble<W, S>(static_cast<double>(x), 0, AP_TRN_ZERO, AP_WRAP, 0)) {}
  ap_int_base(const char* s) { FromString(s, 10); }
  ap_int_base(const char* s, signed char radix) { FromString(s, radix); }
  ap_int_base(const std::string& s, signed char radix = 10) { FromString(s.c_str(), radix); }
  template <int W2, bool S2>
  ap_int_base(const ap_range_ref<W2, S2>& r) : ap_int_base(r.get()) {}
  template <int W2, bool S2>
  ap_int_base(const ap_bit_ref<W2, S2>& b) : ap_int_base(static_cast<bool>(b)) {}
  template <class A, class B>
  ap_int_base(const ap_concat_ref<A, B>& c) : ap_int_base(c.get()) {}
  // From ap_fixed: the fraction is dropped toward zero (like a C cast), then wrapped.
  template <class F, std::enable_if_t<std::is_base_of<ap_detail::FixedTag, F>::value, int> = 0>
  ap_int_base(const F& f) : ap_int_base(f.to_ap_int_base()) {}

  // ---- conversions ----
  operator RetType() const { return static_cast<RetType>(to_int64()); }
  int to_int() const { return static_cast<int>(raw_.v[0]); }
  unsigned to_uint() const { return static_cast<unsigned>(raw_.v[0]); }
  long to_long() const { return static_cast<long>(raw_.v[0]); }
  unsigned long to_ulong() const { return static_cast<unsigned long>(raw_.v[0]); }
  long long to_int64() const { return static_cast<long long>(raw_.v[0]); }
  unsigned long long to_uint64() const { return raw_.v[0]; }
  bool to_bool() const { return !raw_.IsZero(); }
  double to_double() const { return ap_detail::ToDouble(raw_, 0); }
  float to_float() const { return static_cast<float>(to_double()); }
  int length() const { return W; }
  std::string to_string(signed char radix = 2, bool sign = false) const {
    return ap_detail::FormatRaw(raw_.v, raw_.kL, W, S, 0, radix, sign);
  }
  // Vendor-compatible spelling used by some HLS code.
  std::string to_string(BaseMode radix, bool sign = false) const {
    return to_string(static_cast<signed char>(radix), sign);
  }

  // ---- bit access ----
  ap_bit_ref<W, S> operator[](int i) {
    Check(i);
    return ap_bit_ref<W, S>(&raw_, i);
  }
  template <int W2, bool S2>
  ap_bit_ref<W, S> operator[](const ap_int_base<W2, S2>& i) {
    return (*this)[i.to_int()];
  }
  bool operator[](int i) const {
    Check(i);
    return raw_.Bit(i);
  }
  template <int W2, bool S2>
  bool operator[](const ap_int_base<W2, S2>& i) const {
    return (*this)[i.to_int()];
  }
  ap_bit_ref<W, S> bit(int i) { return (*this)[i]; }
  bool bit(int i) const { return (*this)[i]; }
  bool get_bit(int i) const { return (*this)[i]; }
  bool test(int i) const { return (*this)[i]; }
  void set_bit(int i, bool b) {
    Check(i);
    raw_.SetBit(i, b);
    raw_.Normalize();
  }
  void set(int i) { set_bit(i, true); }
  void clear(int i) { set_bit(i, false); }
  void invert(int i) { set_bit(i, !test(i)); }
  ap_range_ref<W, S> range(int hi, int lo) const {
    return ap_range_ref<W, S>(const_cast<ap_detail::Raw<W, S>*>(&raw_), hi, lo);
  }
  template <int W2, bool S2, int W3, bool S3>
  ap_range_ref<W, S> range(const ap_int_base<W2, S2>& hi, const ap_int_base<W3, S3>& lo) const {
    return range(hi.to_int(), lo.to_int());
  }
  ap_range_ref<W, S> range() const { return range(W - 1, 0); }
  ap_range_ref<W, S> operator()(int hi, int lo) const { return range(hi, lo); }
  template <int W2, bool S2, int W3, bool S3>
  ap_range_ref<W, S> operator()(const ap_int_base<W2, S2>& hi,
                                const ap_int_base<W3, S3>& lo) const {
    return range(hi.to_int(), lo.to_int());
  }
  template <class B>
  auto concat(B&& b) const;

  // ---- reductions ----
  bool and_reduce() const { return IsAllOnes(); }
  bool or_reduce() const { return !raw_.IsZero(); }
  bool xor_reduce() const {
    auto u = ap_detail::Resize<W, false>(raw_);
    int c = 0;
    for (int i = 0; i < u.kL; ++i) c += __builtin_popcountll(u.v[i]);
    return c & 1;
  }
  bool nand_reduce() const { return !and_reduce(); }
  bool nor_reduce() const { return !or_reduce(); }
  bool xnor_reduce() const { return !xor_reduce(); }
  bool iszero() const { return raw_.IsZero(); }
  bool is_zero() const { return raw_.IsZero(); }
  bool sign() const { return raw_.Neg(); }
  int countLeadingZeros() const {
    for (int i = W - 1; i >= 0; --i) {
      if (raw_.Bit(i)) return W - 1 - i;
    }
    return W;
  }
  void b_not() { *this = ~*this; }
  void reverse() {
    ap_int_base r;
    for (int i = 0; i < W; ++i) r.raw_.SetBit(W - 1 - i, raw_.Bit(i));
    r.raw_.Normalize();
    *this = r;
  }
  void lrotate(int n) {
    n %= W;
    if (n < 0) n += W;
    if (n == 0) return;
    auto u = ap_int_base<W, false>(*this);
    *this = (u << n) | (u >> (W - n));
  }
  void rrotate(int n) { lrotate(W - (n % W)); }

  // ---- compound assignment (the right side is evaluated exactly, then wrapped into W bits) ----
  template <class T>
  ap_int_base& operator+=(const T& b) {
    return *this = *this + b;
  }
  template <class T>
  ap_int_base& operator-=(const T& b) {
    return *this = *this - b;
  }
  template <class T>
  ap_int_base& operator*=(const T& b) {
    return *this = *this * b;
  }
  template <class T>
  ap_int_base& operator/=(const T& b) {
    return *this = *this / b;
  }
  template <class T>
  ap_int_base& operator%=(const T& b) {
    return *this = *this % b;
  }
  template <class T>
  ap_int_base& operator&=(const T& b) {
    return *this = *this & b;
  }
  template <class T>
  ap_int_base& operator|=(const T& b) {
    return *this = *this | b;
  }
  template <class T>
  ap_int_base& operator^=(const T& b) {
    return *this = *this ^ b;
  }
  template <class T>
  ap_int_base& operator<<=(const T& b) {
    return *this = *this << b;
  }
  template <class T>
  ap_int_base& operator>>=(const T& b) {
    return *this = *this >> b;
  }
  ap_int_base& operator++() {
    ap_detail::Raw<1, false> one{{1}};
    raw_ = ap_detail::Ring<W, S, ap_detail::RingOp::kAdd>(raw_, one);
    return *this;
  }
  ap_int_base& operator--() {
    ap_detail::Raw<1, false> one{{1}};
    raw_ = ap_detail::Ring<W, S, ap_detail::RingOp::kSub>(raw_, one);
    return *this;
  }
  ap_int_base operator++(int) {
    ap_int_base t = *this;
    ++*this;
    return t;
  }
  ap_int_base operator--(int) {
    ap_int_base t = *this;
    --*this;
    return t;
  }

  // ---- concatenation protocol ----
  ap_detail::Raw<W, false> CatGet() const { return ap_detail::Resize<W, false>(raw_); }
  void CatSet(const ap_detail::Raw<W, false>& r) { raw_ = ap_detail::Resize<W, S>(r); }

 private:
  static void Check(int i) {
    if (i < 0 || i >= W) ap_detail::Fail("bit index", i, i, W);
  }
  static ap_detail::Raw<W, false> AllOnes() {
    ap_detail::Raw<W, false> r;
    for (int i = 0; i < r.kL; ++i) r.v[i] = ~ap_detail::u64{0};
    r.Normalize();
    return r;
  }
  bool IsAllOnes() const {
    auto u = ap_detail::Resize<W, false>(raw_);
    auto o = AllOnes();
    for (int i = 0; i < u.kL; ++i) {
      if (u.v[i] != o.v[i]) return false;
    }
    return true;
  }
  void FromString(const char* s, int radix) {
    ap_detail::ParseToRaw(s, radix, 0, W, S, AP_TRN, AP_WRAP, 0, raw_.v, raw_.kL);
    raw_.Normalize();
  }
};

template <int W>
struct ap_int : ap_int_base<W, true> {
  using Base = ap_int_base<W, true>;
  using Base::Base;
  ap_int() = default;
  ap_int(const ap_int&) = default;
  ap_int& operator=(const ap_int&) = default;
  template <int W2, bool S2>
  ap_int(const ap_int_base<W2, S2>& o) : Base(o) {}
};

template <int W>
struct ap_uint : ap_int_base<W, false> {
  using Base = ap_int_base<W, false>;
  using Base::Base;
  ap_uint() = default;
  ap_uint(const ap_uint&) = default;
  ap_uint& operator=(const ap_uint&) = default;
  template <int W2, bool S2>
  ap_uint(const ap_int_base<W2, S2>& o) : Base(o) {}
};

// ---- bit and range references ----

template <int W, bool S>
struct ap_bit_ref : ap_detail::ConcatTag {
  static constexpr int kCatW = 1;
  ap_detail::Raw<W, S>* p_;
  int i_;
  ap_bit_ref(ap_detail::Raw<W, S>* p, int i) : p_(p), i_(i) {}
  ap_bit_ref(const ap_bit_ref&) = default;
  operator bool() const { return p_->Bit(i_); }
  bool get() const { return p_->Bit(i_); }
  bool to_bool() const { return get(); }
  int length() const { return 1; }
  ap_bit_ref& operator=(bool b) {
    p_->SetBit(i_, b);
    p_->Normalize();
    return *this;
  }
  template <class T, ap_detail::EnableNative<T> = 0>
  ap_bit_ref& operator=(T v) {
    return *this = static_cast<bool>(v & 1);
  }
  ap_bit_ref& operator=(const ap_bit_ref& o) { return *this = o.get(); }
  template <int W2, bool S2>
  ap_bit_ref& operator=(const ap_bit_ref<W2, S2>& o) {
    return *this = o.get();
  }
  template <int W2, bool S2>
  ap_bit_ref& operator=(const ap_int_base<W2, S2>& o) {
    return *this = o[0];
  }
  bool operator~() const { return !get(); }
  bool operator!() const { return !get(); }
  ap_detail::Raw<1, false> CatGet() const { return ap_detail::Raw<1, false>{{get() ? 1u : 0u}}; }
  void CatSet(const ap_detail::Raw<1, false>& r) { *this = (r.v[0] & 1) != 0; }
};

// A range x.range(hi, lo) of a W-bit value. It reads as an ap_uint<W> holding bits hi..lo (in
// reverse order when hi < lo) and takes part in concatenation with the parent's width W.
template <int W, bool S>
struct ap_range_ref : ap_detail::ConcatTag {
  static constexpr int kCatW = W;
  ap_detail::Raw<W, S>* p_;
  int hi_, lo_;
  ap_range_ref(ap_detail::Raw<W, S>* p, int hi, int lo) : p_(p), hi_(hi), lo_(lo) {
    if (hi < 0 || lo < 0 || hi >= W || lo >= W) ap_detail::Fail("range", hi, lo, W);
  }
  ap_range_ref(const ap_range_ref&) = default;

  ap_uint<W> get() const {
    ap_uint<W> r;
    if (hi_ >= lo_) {
      auto u = ap_detail::Resize<W, false>(*p_);
      u = ap_detail::ShrRaw(u, lo_);
      int n = hi_ - lo_ + 1;
      for (int i = n; i < W; ++i) u.SetBit(i, false);
      r.raw_ = u;
    } else {
      for (int i = 0; i <= lo_ - hi_; ++i) r.raw_.SetBit(i, p_->Bit(lo_ - i));
    }
    return r;
  }
  int length() const { return (hi_ >= lo_ ? hi_ - lo_ : lo_ - hi_) + 1; }
  operator ap_uint<W>() const { return get(); }
  operator unsigned long long() const { return get().to_uint64(); }
  int to_int() const { return get().to_int(); }
  unsigned to_uint() const { return get().to_uint(); }
  long to_long() const { return get().to_long(); }
  unsigned long to_ulong() const { return get().to_ulong(); }
  long long to_int64() const { return get().to_int64(); }
  unsigned long long to_uint64() const { return get().to_uint64(); }
  double to_double() const { return get().to_double(); }
  bool and_reduce() const {
    for (int i = 0; i < length(); ++i) {
      if (!get()[i]) return false;
    }
    return true;
  }
  bool or_reduce() const { return get().or_reduce(); }
  bool xor_reduce() const { return get().xor_reduce(); }
  bool nand_reduce() const { return !and_reduce(); }
  bool nor_reduce() const { return !or_reduce(); }
  bool xnor_reduce() const { return !xor_reduce(); }
  std::string to_string(signed char radix = 2) const { return get().to_string(radix, false); }

  template <int W2, bool S2>
  ap_range_ref& operator=(const ap_int_base<W2, S2>& v) {
    Set(ap_detail::Resize<W, false>(v.raw_));
    return *this;
  }
  template <class T, ap_detail::EnableNative<T> = 0>
  ap_range_ref& operator=(T v) {
    return *this = ap_int_base<64, ap_detail::NativeInt<T>::kS>(v);
  }
  ap_range_ref& operator=(const char* s) { return *this = ap_uint<W>(s); }
  ap_range_ref& operator=(const ap_range_ref& o) { return *this = o.get(); }
  template <int W2, bool S2>
  ap_range_ref& operator=(const ap_range_ref<W2, S2>& o) {
    return *this = o.get();
  }
  template <int W2, bool S2>
  ap_range_ref& operator=(const ap_bit_ref<W2, S2>& o) {
    return *this = ap_uint<1>(o.get());
  }
  template <class A, class B>
  ap_range_ref& operator=(const ap_concat_ref<A, B>& o) {
    return *this = o.get();
  }

  ap_detail::Raw<W, false> CatGet() const { return get().raw_; }
  void CatSet(const ap_detail::Raw<W, false>& r) { Set(r); }

 private:
  void Set(const ap_detail::Raw<W, false>& v) {
    int n = length();
    for (int i = 0; i < n; ++i) {
      int dst = hi_ >= lo_ ? lo_ + i : lo_ - i;
      p_->SetBit(dst, v.Bit(i));
    }
    p_->Normalize();
  }
};

// ---- concatenation ----

namespace ap_detail {
// Concat operands: ap values are held by reference (so that the concatenation is assignable),
// references (range, bit, concat) by value.
template <class T>
struct CatStore {
  using type = T;  // refs
};
template <int W, bool S>
struct CatStore<ap_int_base<W, S>> {
  using type = ap_int_base<W, S>&;
};
template <int W>
struct CatStore<ap_int<W>> {
  using type = ap_int_base<W, true>&;
};
template <int W>
struct CatStore<ap_uint<W>> {
  using type = ap_int_base<W, false>&;
};
}  // namespace ap_detail

template <class A, class B>
struct ap_concat_ref : ap_detail::ConcatTag {
  using AV = std::remove_reference_t<A>;
  using BV = std::remove_reference_t<B>;
  static constexpr int kAW = AV::kCatW;
  static constexpr int kBW = BV::kCatW;
  static constexpr int kCatW = kAW + kBW;
  A a_;
  B b_;
  ap_concat_ref(A a, B b) : a_(a), b_(b) {}
  ap_concat_ref(const ap_concat_ref&) = default;

  ap_detail::Raw<kCatW, false> CatGet() const {
    auto hi = ap_detail::ResizeShl<kCatW, false>(a_.CatGet(), kBW);
    auto lo = ap_detail::Resize<kCatW, false>(b_.CatGet());
    return ap_detail::Ring<kCatW, false, ap_detail::RingOp::kOr>(hi, lo);
  }
  void CatSet(const ap_detail::Raw<kCatW, false>& v) {
    b_.CatSet(ap_detail::Resize<kBW, false>(v));
    a_.CatSet(ap_detail::Resize<kAW, false>(ap_detail::ShrRaw(v, kBW)));
  }
  ap_uint<kCatW> get() const { return ap_uint<kCatW>(ap_detail::RawTag{}, CatGet()); }
  operator ap_uint<kCatW>() const { return get(); }
  operator unsigned long long() const { return get().to_uint64(); }
  int length() const { return kCatW; }
  int to_int() const { return get().to_int(); }
  unsigned to_uint() const { return get().to_uint(); }
  long long to_int64() const { return get().to_int64(); }
  unsigned long long to_uint64() const { return get().to_uint64(); }
  double to_double() const { return get().to_double(); }
  std::string to_string(signed char radix = 2) const { return get().to_string(radix, false); }

  template <int W2, bool S2>
  ap_concat_ref& operator=(const ap_int_base<W2, S2>& v) {
    CatSet(ap_detail::Resize<kCatW, false>(v.raw_));
    return *this;
  }
  template <class T, ap_detail::EnableNative<T> = 0>
  ap_concat_ref& operator=(T v) {
    return *this = ap_int_base<64, ap_detail::NativeInt<T>::kS>(v);
  }
  ap_concat_ref& operator=(const ap_concat_ref& o) { return *this = o.get(); }
  template <class C, class D>
  ap_concat_ref& operator=(const ap_concat_ref<C, D>& o) {
    return *this = o.get();
  }
  template <int W2, bool S2>
  ap_concat_ref& operator=(const ap_range_ref<W2, S2>& o) {
    return *this = o.get();
  }
};

template <int W, bool S>
inline ap_detail::Raw<W, S> ap_raw_of(const ap_int_base<W, S>& x) {
  return x.raw_;
}

namespace ap_detail {
template <class T>
struct CatStoreOf {
  using D = std::remove_cv_t<std::remove_reference_t<T>>;
  using type = typename CatStore<D>::type;
};
}  // namespace ap_detail

// (a, b): concatenation of any two ap values or references (a's bits above b's).
template <class A, class B, std::enable_if_t<ap_detail::kIsCat<A> && ap_detail::kIsCat<B>, int> = 0>
inline ap_concat_ref<typename ap_detail::CatStoreOf<A>::type,
                     typename ap_detail::CatStoreOf<B>::type>
operator,(A&& a, B&& b) {
  using SA = typename ap_detail::CatStoreOf<A>::type;
  using SB = typename ap_detail::CatStoreOf<B>::type;
  using DA = std::remove_reference_t<SA>;
  using DB = std::remove_reference_t<SB>;
  return ap_concat_ref<SA, SB>(const_cast<DA&>(static_cast<const DA&>(a)),
                               const_cast<DB&>(static_cast<const DB&>(b)));
}

template <int W, bool S>
template <class B>
auto ap_int_base<W, S>::concat(B&& b) const {
  return (*this, std::forward<B>(b));
}

// ---- arithmetic between ap_int_base values ----

#define FIRMNET_AP_INT_BINOP(OP, RW, RS, RING)                                                    \
  template <int W1, bool S1, int W2, bool S2>                                                     \
  inline ap_int_base<ap_detail::IntR<W1, S1, W2, S2>::RW, RS> operator OP(                        \
      const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) {                               \
    constexpr int kW = ap_detail::IntR<W1, S1, W2, S2>::RW;                                       \
    return ap_int_base<kW, RS>(ap_detail::RawTag{},                                               \
                               ap_detail::Ring<kW, RS, ap_detail::RingOp::RING>(a.raw_, b.raw_)); \
  }
FIRMNET_AP_INT_BINOP(+, kPlusW, (S1 || S2), kAdd)
FIRMNET_AP_INT_BINOP(-, kPlusW, true, kSub)
FIRMNET_AP_INT_BINOP(*, kMulW, (S1 || S2), kMul)
FIRMNET_AP_INT_BINOP(&, kLogicW, (S1 || S2), kAnd)
FIRMNET_AP_INT_BINOP(|, kLogicW, (S1 || S2), kOr)
FIRMNET_AP_INT_BINOP(^, kLogicW, (S1 || S2), kXor)
#undef FIRMNET_AP_INT_BINOP

template <int W1, bool S1, int W2, bool S2>
inline ap_int_base<ap_detail::IntR<W1, S1, W2, S2>::kDivW, (S1 || S2)> operator/(
    const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) {
  constexpr int kW = ap_detail::IntR<W1, S1, W2, S2>::kDivW;
  ap_int_base<kW, (S1 || S2)> q;
  ap_detail::DivMod<kW, (S1 || S2), 1, false>(a.raw_, b.raw_, &q.raw_, nullptr);
  return q;
}

template <int W1, bool S1, int W2, bool S2>
inline ap_int_base<ap_detail::IntR<W1, S1, W2, S2>::kModW, S1> operator%(
    const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) {
  constexpr int kW = ap_detail::IntR<W1, S1, W2, S2>::kModW;
  ap_int_base<kW, S1> r;
  ap_detail::DivMod<1, false, kW, S1>(a.raw_, b.raw_, nullptr, &r.raw_);
  return r;
}

template <int W, bool S>
inline auto operator-(const ap_int_base<W, S>& a) {
  return ap_int_base<1, false>(0) - a;
}
template <int W, bool S>
inline ap_int_base<W, S> operator+(const ap_int_base<W, S>& a) {
  return a;
}
template <int W, bool S>
inline ap_int_base<W, S> operator~(const ap_int_base<W, S>& a) {
  ap_int_base<W, S> r;
  for (int i = 0; i < r.raw_.kL; ++i) r.raw_.v[i] = ~a.raw_.v[i];
  r.raw_.Normalize();  // unsigned: clear the complemented bits above W
  return r;
}
template <int W, bool S>
inline bool operator!(const ap_int_base<W, S>& a) {
  return a.raw_.IsZero();
}

// Shifts keep the left operand's type; a negative signed amount shifts the other way.
template <int W, bool S>
inline ap_int_base<W, S> ApShiftLeft(const ap_int_base<W, S>& a, long long sh) {
  if (sh < 0)
    return ap_int_base<W, S>(ap_detail::RawTag{},
                             ap_detail::ShrRaw(a.raw_, sh < -W ? W : static_cast<int>(-sh)));
  return ap_int_base<W, S>(ap_detail::RawTag{}, ap_detail::ResizeShl<W, S>(
                                                    a.raw_, sh > W ? W + 1 : static_cast<int>(sh)));
}
template <int W, bool S, class T, ap_detail::EnableNative<T> = 0>
inline ap_int_base<W, S> operator<<(const ap_int_base<W, S>& a, T sh) {
  return ApShiftLeft(a, static_cast<long long>(sh));
}
template <int W, bool S, class T, ap_detail::EnableNative<T> = 0>
inline ap_int_base<W, S> operator>>(const ap_int_base<W, S>& a, T sh) {
  return ApShiftLeft(a, -static_cast<long long>(sh));
}
template <int W, bool S, int W2, bool S2>
inline ap_int_base<W, S> operator<<(const ap_int_base<W, S>& a, const ap_int_base<W2, S2>& sh) {
  return ApShiftLeft(
      a, W2 > 63 ? (ap_int_base<W2, S2>(sh) > 4096 ? 4096 : sh.to_int64()) : sh.to_int64());
}
template <int W, bool S, int W2, bool S2>
inline ap_int_base<W, S> operator>>(const ap_int_base<W, S>& a, const ap_int_base<W2, S2>& sh) {
  return ApShiftLeft(
      a, -(W2 > 63 ? (ap_int_base<W2, S2>(sh) > 4096 ? 4096 : sh.to_int64()) : sh.to_int64()));
}

#define FIRMNET_AP_INT_CMP(OP)                                                          \
  template <int W1, bool S1, int W2, bool S2>                                           \
  inline bool operator OP(const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) { \
    return ap_detail::Compare(a.raw_, b.raw_) OP 0;                                     \
  }
FIRMNET_AP_INT_CMP(==)
FIRMNET_AP_INT_CMP(!=)
FIRMNET_AP_INT_CMP(<)
FIRMNET_AP_INT_CMP(<=)
FIRMNET_AP_INT_CMP(>)
FIRMNET_AP_INT_CMP(>=)
#undef FIRMNET_AP_INT_CMP

// ---- mixed with native types ----

#define FIRMNET_AP_INT_NATIVE_OP(OP)                                                      \
  template <int W, bool S, class T, ap_detail::EnableNative<T> = 0>                       \
  inline auto operator OP(const ap_int_base<W, S>& a, T b) {                              \
    return a OP ap_int_base<ap_detail::NativeInt<T>::kW, ap_detail::NativeInt<T>::kS>(b); \
  }                                                                                       \
  template <int W, bool S, class T, ap_detail::EnableNative<T> = 0>                       \
  inline auto operator OP(T a, const ap_int_base<W, S>& b) {                              \
    return ap_int_base<ap_detail::NativeInt<T>::kW, ap_detail::NativeInt<T>::kS>(a) OP b; \
  }                                                                                       \
  template <int W, bool S, class T, ap_detail::EnableFloat<T> = 0>                        \
  inline auto operator OP(const ap_int_base<W, S>& a, T b) {                              \
    return a.to_double() OP b;                                                            \
  }                                                                                       \
  template <int W, bool S, class T, ap_detail::EnableFloat<T> = 0>                        \
  inline auto operator OP(T a, const ap_int_base<W, S>& b) {                              \
    return a OP b.to_double();                                                            \
  }
FIRMNET_AP_INT_NATIVE_OP(+)
FIRMNET_AP_INT_NATIVE_OP(-)
FIRMNET_AP_INT_NATIVE_OP(*)
FIRMNET_AP_INT_NATIVE_OP(/)
FIRMNET_AP_INT_NATIVE_OP(==)
FIRMNET_AP_INT_NATIVE_OP(!=)
FIRMNET_AP_INT_NATIVE_OP(<)
FIRMNET_AP_INT_NATIVE_OP(<=)
FIRMNET_AP_INT_NATIVE_OP(>)
FIRMNET_AP_INT_NATIVE_OP(>=)
#undef FIRMNET_AP_INT_NATIVE_OP

#define FIRMNET_AP_INT_NATIVE_INTOP(OP)                                                   \
  template <int W, bool S, class T, ap_detail::EnableNative<T> = 0>                       \
  inline auto operator OP(const ap_int_base<W, S>& a, T b) {                              \
    return a OP ap_int_base<ap_detail::NativeInt<T>::kW, ap_detail::NativeInt<T>::kS>(b); \
  }                                                                                       \
  template <int W, bool S, class T, ap_detail::EnableNative<T> = 0>                       \
  inline auto operator OP(T a, const ap_int_base<W, S>& b) {                              \
    return ap_int_base<ap_detail::NativeInt<T>::kW, ap_detail::NativeInt<T>::kS>(a) OP b; \
  }
FIRMNET_AP_INT_NATIVE_INTOP(%)
FIRMNET_AP_INT_NATIVE_INTOP(&)
FIRMNET_AP_INT_NATIVE_INTOP(|)
FIRMNET_AP_INT_NATIVE_INTOP(^)
#undef FIRMNET_AP_INT_NATIVE_INTOP

// ---- references in expressions: they take part as their ap_uint value ----

namespace ap_detail {
template <class T>
struct IsValueRef : std::false_type {};
template <int W, bool S>
struct IsValueRef<ap_range_ref<W, S>> : std::true_type {};
template <class A, class B>
struct IsValueRef<ap_concat_ref<A, B>> : std::true_type {};
template <class T>
constexpr bool kIsValueRef = IsValueRef<std::remove_cv_t<std::remove_reference_t<T>>>::value;
}  // namespace ap_detail

#define FIRMNET_AP_REF_OP(OP)                                                                   \
  template <class R, class X, std::enable_if_t<ap_detail::kIsValueRef<R>, int> = 0>             \
  inline auto operator OP(const R& r, const X& x)->decltype(r.get() OP x) {                     \
    return r.get() OP x;                                                                        \
  }                                                                                             \
  template <class X, class R,                                                                   \
            std::enable_if_t<ap_detail::kIsValueRef<R> && !ap_detail::kIsValueRef<X>, int> = 0> \
  inline auto operator OP(const X& x, const R& r)->decltype(x OP r.get()) {                     \
    return x OP r.get();                                                                        \
  }
FIRMNET_AP_REF_OP(+)
FIRMNET_AP_REF_OP(-)
FIRMNET_AP_REF_OP(*)
FIRMNET_AP_REF_OP(/)
FIRMNET_AP_REF_OP(%)
FIRMNET_AP_REF_OP(&)
FIRMNET_AP_REF_OP(|)
FIRMNET_AP_REF_OP(^)
FIRMNET_AP_REF_OP(==)
FIRMNET_AP_REF_OP(!=)
FIRMNET_AP_REF_OP(<)
FIRMNET_AP_REF_OP(<=)
FIRMNET_AP_REF_OP(>)
FIRMNET_AP_REF_OP(>=)
#undef FIRMNET_AP_REF_OP

template <int W, bool S>
inline std::ostream& operator<<(std::ostream& os, const ap_int_base<W, S>& x) {
  std::ios_base::fmtflags f = os.flags();
  if (f & std::ios_base::hex) {
    std::string s = x.to_string(16, false).substr(2);
    size_t nz = s.find_first_not_of('0');
    return os << (nz == std::string::npos ? "0" : s.substr(nz));
  }
  if (f & std::ios_base::oct) {
    std::string s = x.to_string(8, false).substr(2);
    size_t nz = s.find_first_not_of('0');
    return os << (nz == std::string::npos ? "0" : s.substr(nz));
  }
  return os << x.to_string(10);
}
template <int W, bool S>
inline std::ostream& operator<<(std::ostream& os, const ap_range_ref<W, S>& x) {
  return os << x.get();
}
template <class A, class B>
inline std::ostream& operator<<(std::ostream& os, const ap_concat_ref<A, B>& x) {
  return os << x.get();
}

#include "ap_fixed.h"

#endif  // FIRMNET_HLS_AP_INT_H_
