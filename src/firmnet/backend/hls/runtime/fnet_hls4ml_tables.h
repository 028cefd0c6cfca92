// firmnet HLS layer library: the table activations in hls4ml's style (sigmoid, tanh, softplus,
// softsign, elu, selu, softmax stable, latency and legacy), bit for bit as docs/tables.md ("hls4ml
// style") defines them: the same index arithmetic as hls4ml's nnet_activation.h, on raw integers,
// with the tables that hls4ml builds in float passed in as constants (firmnet computes them exactly
// as hls4ml does).
//
//   range table (sigmoid, tanh, softplus, softsign): q = trunc(r * N / 2^(C::div_shift)) <<
//   C::frac_neg,
//     data_round = low 32 bits of q, index = clamp(int(data_round + N / 2), 0, N - 1)
//   negative-side table (elu, selu; x < 0): q = ((-r) * N >> C::div_shift) << C::frac_neg,
//     index = low 32 bits of q as int; above N - 1 as unsigned: N - 1 (selu: negative: 0)
//   softmax: the index of a value is the top C::exp_bits / C::inv_bits bits of its raw value.
#ifndef FNET_HLS4ML_TABLES_H_
#define FNET_HLS4ML_TABLES_H_

#include "fnet_tables.h"

namespace fnet {

// hls4ml's `int(x * table_size / D) + table_size / 2`, clamped to the table.
template <class C>
inline unsigned hls4ml_range_index(int64_t r) {
#pragma HLS INLINE
  const int64_t a = r * (int64_t)C::table_size;
  int64_t q = a < 0 ? -((-a) >> C::div_shift) : (a >> C::div_shift);
  q = C::frac_neg >= 32 ? 0 : (int64_t)((uint64_t)q << C::frac_neg);
  const int32_t data_round = (int32_t)(uint32_t)(uint64_t)q;
  int32_t index = (int32_t)((uint32_t)data_round + (uint32_t)(C::table_size / 2));
  if (index < 0) index = 0;
  if ((unsigned)index > C::table_size - 1) index = C::table_size - 1;
  return (unsigned)index;
}

// sigmoid and tanh: y = T[index(x)], one cast to out_t.
template <class C>
struct hls4ml_range_table {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out],
                  const typename C::table_raw_t t[C::table_size]) {
#pragma HLS INLINE
    for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS UNROLL
      const int64_t r = raw64<typename C::in_t, C::in_signed>::get(x[i]);
      y[i] = from_raw<typename C::table_t>(t[hls4ml_range_index<C>(r)]);
    }
  }
};

// hls4ml's `int(x * table_size / -8)` for x < 0 (raw r < 0), clamped as elu (CLAMP_LOW false)
// or selu (true) clamps it.
template <class C, bool CLAMP_LOW>
inline unsigned hls4ml_negative_index(int64_t r) {
#pragma HLS INLINE
  const int64_t a = (-r) * (int64_t)C::table_size;
  int64_t q = a >> C::div_shift;
  q = C::frac_neg >= 32 ? 0 : (int64_t)((uint64_t)q << C::frac_neg);
  const int32_t index = (int32_t)(uint32_t)(uint64_t)q;
  if (index < 0) return CLAMP_LOW ? 0 : C::table_size - 1;
  if ((unsigned)index > C::table_size - 1) return C::table_size - 1;
  return (unsigned)index;
}

// hls4ml's elu: x >= 0: y = x; x < 0: y = alpha * T[index(x)] (C::alpha_raw of C::param_t; the
// product exact, the assignment the one cast).
struct hls4ml_elu_op {
  template <class C>
  static void apply(const typename C::in_t& x, int64_t r,
                    const typename C::table_raw_t t[C::table_size], typename C::out_t& y) {
#pragma HLS INLINE
    if (r >= 0) {
      y = x;
    } else {
      const typename C::param_t alpha = from_raw<typename C::param_t>(C::alpha_raw);
      const typename C::table_t v =
          from_raw<typename C::table_t>(t[hls4ml_negative_index<C, false>(r)]);
      y = alpha * v;
    }
  }
};

// hls4ml's selu: x >= 0: y = gamma * x (C::gamma_raw of C::param_t); x < 0: y = T[index(x)].
struct hls4ml_selu_op {
  template <class C>
  static void apply(const typename C::in_t& x, int64_t r,
                    const typename C::table_raw_t t[C::table_size], typename C::out_t& y) {
#pragma HLS INLINE
    if (r >= 0) {
      const typename C::param_t gamma = from_raw<typename C::param_t>(C::gamma_raw);
      y = x * gamma;
    } else {
      y = from_raw<typename C::table_t>(t[hls4ml_negative_index<C, true>(r)]);
    }
  }
};

template <class C>
struct hls4ml_elu : table_layer<C, hls4ml_elu_op> {};
template <class C>
struct hls4ml_selu : table_layer<C, hls4ml_selu_op> {};

// The top BITS bits of a W-bit raw value, as unsigned.
template <int W, int BITS>
inline unsigned top_bits(int64_t r) {
#pragma HLS INLINE
  const uint64_t mask = W >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << W) - 1);
  return (unsigned)(((uint64_t)r & mask) >> (W - BITS));
}

// The largest power of two <= N (1 for N < 2).
template <int N>
struct pow2_floor {
  static const int value = 2 * pow2_floor<N / 2>::value;
};
template <>
struct pow2_floor<1> {
  static const int value = 1;
};
template <>
struct pow2_floor<0> {
  static const int value = 1;
};

// nnet::reduce with Op_add<T>: a balanced tree whose left part has the largest power of two
// below N elements, each add cast to T.
template <class T, int N>
struct hls4ml_sum {
  static const int left = N <= 2 ? 1 : pow2_floor<N - 1>::value;
  static T run(const T* x) {
#pragma HLS INLINE
    return T(hls4ml_sum<T, left>::run(x) + hls4ml_sum<T, N - left>::run(x + left));
  }
};
template <class T>
struct hls4ml_sum<T, 1> {
  static T run(const T* x) {
#pragma HLS INLINE
    return x[0];
  }
};
template <class T>
struct hls4ml_sum<T, 0> {
  static T run(const T*) { return T(0); }
};

// hls4ml's softmax_stable (C::stable) or softmax_latency over one row.
template <class C>
struct hls4ml_softmax {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out],
                  const typename C::exp_raw_t et[C::table_size],
                  const typename C::inv_raw_t it[C::inv_size]) {
#pragma HLS INLINE
    int64_t r[C::n_in];
#pragma HLS ARRAY_PARTITION variable = r complete
    const int64_t m = row_raw_max<C>(x, r);
    typename C::accum_t e[C::n_in];
#pragma HLS ARRAY_PARTITION variable = e complete
    for (unsigned j = 0; j < C::n_in; j++) {
#pragma HLS UNROLL
      unsigned k;
      if (C::stable) {
        // d = x_max - x_j in inp_norm_t (ap_ufixed, truncating and wrapping: the low bits).
        k = top_bits<C::norm_width, C::exp_bits>(m - r[j]);
      } else {
        k = top_bits<C::in_t::width, C::exp_bits>(r[j]);
      }
      e[j] = from_raw<typename C::exp_t>(et[k]);
    }
    const typename C::inv_inp_t s = hls4ml_sum<typename C::accum_t, C::n_in>::run(e);
    const unsigned k = top_bits<C::inv_inp_t::width, C::inv_bits>(
        raw64<typename C::inv_inp_t, C::inv_inp_signed>::get(s));
    const typename C::inv_t inv = from_raw<typename C::inv_t>(it[k]);
    for (unsigned j = 0; j < C::n_in; j++) {
#pragma HLS UNROLL
      y[j] = e[j] * inv;
    }
  }
};

// hls4ml's softmax_legacy: S_i = the sum over j of (j == i ? 1 : T_exp[index(x_j - x_i)]) in
// table_t (each add cast), y_i = T_inv[clamp(int(S_i * inv_size / 64))]. The exp index is the
// range-table index (C::table_size, C::div_shift, C::frac_neg) of the raw difference.
template <class C>
struct hls4ml_softmax_legacy {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out],
                  const typename C::table_raw_t et[C::table_size],
                  const typename C::table_raw_t it[C::inv_size]) {
#pragma HLS INLINE
    int64_t r[C::n_in];
#pragma HLS ARRAY_PARTITION variable = r complete
    for (unsigned j = 0; j < C::n_in; j++) {
#pragma HLS UNROLL
      r[j] = raw64<typename C::in_t, C::in_signed>::get(x[j]);
    }
    const typename C::table_t one = 1;
    for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS UNROLL
      typename C::table_t acc = 0;
      for (unsigned j = 0; j < C::n_in; j++) {
#pragma HLS UNROLL
        if (i == j) {
          acc = acc + one;
        } else {
          acc = acc + from_raw<typename C::table_t>(et[hls4ml_range_index<C>(r[j] - r[i])]);
        }
      }
      const int64_t a = raw64<typename C::table_t, true>::get(acc) * (int64_t)C::inv_size;
      int64_t q = a < 0 ? -((-a) >> C::inv_div_shift) : (a >> C::inv_div_shift);
      q = C::inv_frac_neg >= 32 ? 0 : (int64_t)((uint64_t)q << C::inv_frac_neg);
      int32_t k = (int32_t)(uint32_t)(uint64_t)q;
      if (k < 0) k = 0;
      if ((unsigned)k > C::inv_size - 1) k = C::inv_size - 1;
      y[i] = from_raw<typename C::table_t>(it[k]);
    }
  }
};

}  // namespace fnet

#endif  // FNET_HLS4ML_TABLES_H_
