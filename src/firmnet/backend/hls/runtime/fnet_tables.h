// firmnet HLS layer library: the table activations (sigmoid, tanh, softplus, elu, selu,
// softsign, softmax), bit for bit as docs/tables.md defines them.
//
// The table indices are integer arithmetic on raw values, exactly the emulator's:
//   magnitude table (step 2^s, input lsb 2^e, k = s - e, C::table_shift = k,
//   C::table_half = k > 0 ? 2^(k-1) : 0):  index = min((a + half) >> k, size - 1)
//   inverse table (b = C::inv_bits): p = leading-one position of v, j = v - 2^p,
//   index = p > b ? (j + 2^(p-b-1)) >> (p-b) : j << (b-p);  1/v ~ entry * 2^-p.
// Raw values travel as 64-bit integers (firmnet checks that the types fit); the arithmetic on
// values (1 - t, x + t, the final casts) uses exact ap_fixed expressions.
#ifndef FNET_TABLES_H_
#define FNET_TABLES_H_

#include "fnet_common.h"

namespace fnet {

// The raw integer of x as int64_t (sign-extended for signed types).
template <class T, bool S>
struct raw64;
template <class T>
struct raw64<T, true> {
  static int64_t get(const T& x) {
#pragma HLS INLINE
    ap_int<T::width> r = x.range(T::width - 1, 0);
    return r.to_int64();
  }
};
template <class T>
struct raw64<T, false> {
  static int64_t get(const T& x) {
#pragma HLS INLINE
    ap_uint<T::width> r = x.range(T::width - 1, 0);
    return (int64_t)r.to_uint64();
  }
};

// Magnitude-table index of a >= 0.
template <class C>
inline unsigned magnitude_index(uint64_t a) {
#pragma HLS INLINE
  const uint64_t i = (a + C::table_half) >> C::table_shift;
  return i > C::table_size - 1 ? (unsigned)(C::table_size - 1) : (unsigned)i;
}

// Position of the leading one of v > 0 (a priority encoder over N bits).
template <int N>
inline int leading_one(uint64_t v) {
#pragma HLS INLINE
  int p = 0;
  for (int i = 0; i < N; i++) {
#pragma HLS UNROLL
    if ((v >> i) & 1) p = i;
  }
  return p;
}

// Inverse-table index of v > 0 with B index bits and SIZE = 2^B + 1 entries; p receives the
// leading-one position.
template <int N, int B>
inline unsigned inverse_index(uint64_t v, int& p) {
#pragma HLS INLINE
  p = leading_one<N>(v);
  const uint64_t j = v - ((uint64_t)1 << p);
  uint64_t i;
  if (p > B) {
    const int k = p - B;
    i = (j + ((uint64_t)1 << (k - 1))) >> k;
  } else {
    i = j << (B - p);
  }
  const uint64_t last = ((uint64_t)1 << B);
  return i > last ? (unsigned)last : (unsigned)i;
}

// The value raw * 2^(E0 - p), 0 <= p <= PMAX, cast to OUT (its Q/O apply once, exactly).
template <class OUT, int PW, int E0, int PMAX>
inline OUT scaled_cast(const ap_int<PW>& raw, int p) {
#pragma HLS INLINE
  ap_int<PW + PMAX> big = raw;
  big = big << (PMAX - p);
  ap_fixed<PW + PMAX, PW + E0> v;
  v.range(PW + PMAX - 1, 0) = big.range(PW + PMAX - 1, 0);
  return OUT(v);
}

// The loop the single-table activations share: for each element, OP::apply<C>(x, r, t, y)
// computes one output from x, its raw value r and the table t (the assignment to y is the
// single cast to out_t).
template <class C, class OP>
struct table_layer {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out],
                  const typename C::table_raw_t t[C::table_size]) {
#pragma HLS INLINE
    for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS UNROLL
      OP::template apply<C>(x[i], raw64<typename C::in_t, C::in_signed>::get(x[i]), t, y[i]);
    }
  }
};

// The four magnitude-table activations: v = T[index(|x|)], then
//   sigmoid:  y = x >= 0 ? v : 1 - v
//   tanh:     y = x < 0 ? -v : v
//   softplus: y = max(x, 0) + v, T(a) = log(1 + e^-a), the sum exact
//   elu:      y = x > 0 ? x : v, T(a) = alpha (e^-a - 1)
// RULE is a compile-time constant, so only its branch is built.
enum magnitude_rule_t { kSigmoid = 0, kTanh = 1, kSoftplus = 2, kElu = 3 };

template <int RULE>
struct magnitude_op {
  template <class C>
  static void apply(const typename C::in_t& x, int64_t r,
                    const typename C::table_raw_t t[C::table_size], typename C::out_t& y) {
#pragma HLS INLINE
    const typename C::table_t v =
        from_raw<typename C::table_t>(t[magnitude_index<C>(r < 0 ? -r : r)]);
    const ap_ufixed<1, 1> one = 1;
    if (RULE == kSigmoid) {
      if (r >= 0) {
        y = v;
      } else {
        y = one - v;
      }
    } else if (RULE == kTanh) {
      if (r < 0) {
        y = -v;
      } else {
        y = v;
      }
    } else if (RULE == kSoftplus) {
      if (r > 0) {
        y = x + v;
      } else {
        y = v;
      }
    } else {  // kElu
      if (r > 0) {
        y = x;
      } else {
        y = v;
      }
    }
  }
};

template <class C>
struct sigmoid : table_layer<C, magnitude_op<kSigmoid> > {};
template <class C>
struct tanh : table_layer<C, magnitude_op<kTanh> > {};
template <class C>
struct softplus : table_layer<C, magnitude_op<kSoftplus> > {};
template <class C>
struct elu : table_layer<C, magnitude_op<kElu> > {};

// selu: y = x >= 0 ? gamma * x : v, T(a) = gamma alpha (e^-a - 1); gamma is the raw value
// C::gamma_raw of C::param_t and the product is exact (the assignment to y is the single cast).
struct selu_op {
  template <class C>
  static void apply(const typename C::in_t& x, int64_t r,
                    const typename C::table_raw_t t[C::table_size], typename C::out_t& y) {
#pragma HLS INLINE
    if (r >= 0) {
      const typename C::param_t gamma = from_raw<typename C::param_t>(C::gamma_raw);
      y = x * gamma;
    } else {
      y = from_raw<typename C::table_t>(t[magnitude_index<C>(-r)]);
    }
  }
};

template <class C>
struct selu : table_layer<C, selu_op> {};

// softsign: v = |x| + 1 on the grid 2^c; y = x * inv[index(v)] * 2^-(p + c).
struct softsign_op {
  template <class C>
  static void apply(const typename C::in_t&, int64_t r,
                    const typename C::table_raw_t t[C::table_size], typename C::out_t& y) {
#pragma HLS INLINE
    const uint64_t v = ((uint64_t)(r < 0 ? -r : r) << C::input_shift) + C::one_raw;
    int p = 0;
    const unsigned k = inverse_index<C::v_bits, C::inv_bits>(v, p);
    const ap_int<C::in_t::width + 1> xr = r;
    const ap_int<C::table_t::width + 1> tr = (int64_t)t[k];
    const ap_int<C::in_t::width + C::table_t::width + 2> prod = xr * tr;
    y = scaled_cast<typename C::out_t, C::in_t::width + C::table_t::width + 2, C::exp0, C::v_bits>(
        prod, p);
  }
};

template <class C>
struct softsign : table_layer<C, softsign_op> {};

// The raw integers of one softmax row (r) and their maximum.
template <class C>
inline int64_t row_raw_max(const typename C::in_t x[C::n_in], int64_t r[C::n_in]) {
#pragma HLS INLINE
  int64_t m = 0;
  for (unsigned j = 0; j < C::n_in; j++) {
#pragma HLS UNROLL
    r[j] = raw64<typename C::in_t, C::in_signed>::get(x[j]);
    if (j == 0 || r[j] > m) m = r[j];
  }
  return m;
}

// softmax over one row: E_j = exp_table[index(max - x_j)], S = sum in accum_t (in order),
// y_j = E_j * inv_table[index(S)] * 2^-(p + e_accum).
template <class C>
struct softmax {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out],
                  const typename C::exp_raw_t et[C::table_size],
                  const typename C::inv_raw_t it[C::inv_size]) {
#pragma HLS INLINE
    int64_t r[C::n_in];
#pragma HLS ARRAY_PARTITION variable = r complete
    const int64_t m = row_raw_max<C>(x, r);
    typename C::exp_raw_t e[C::n_in];
#pragma HLS ARRAY_PARTITION variable = e complete
    typename C::accum_t sum = 0;
    for (unsigned j = 0; j < C::n_in; j++) {
#pragma HLS UNROLL
      e[j] = et[magnitude_index<C>((uint64_t)(m - r[j]))];
      sum = sum + from_raw<typename C::exp_t>(e[j]);
    }
    const int64_t s = raw64<typename C::accum_t, C::accum_signed>::get(sum);
    if (s <= 0) {
      for (unsigned j = 0; j < C::n_in; j++) {
#pragma HLS UNROLL
        y[j] = ap_uint<1>(0);
      }
      return;
    }
    int p = 0;
    const ap_int<C::inv_t::width + 1> inv =
        (int64_t)it[inverse_index<C::accum_t::width, C::inv_bits>((uint64_t)s, p)];
    for (unsigned j = 0; j < C::n_in; j++) {
#pragma HLS UNROLL
      const ap_int<C::exp_t::width + 1> ej = (int64_t)e[j];
      const ap_int<C::exp_t::width + C::inv_t::width + 2> prod = ej * inv;
      y[j] = scaled_cast<typename C::out_t, C::exp_t::width + C::inv_t::width + 2, C::exp0,
                         C::accum_t::width - 1>(prod, p);
    }
  }
};

}  // namespace fnet

#endif  // FNET_TABLES_H_
