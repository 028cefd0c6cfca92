// firmnet HLS layer library: dense (fully connected) layers.
//
// Arithmetic (docs/semantics.md, "Dense"): acc_j = (accum_t) bias_j; for i in input order:
// acc_j = acc_j + (accum_t)(x_i * w_ij); y_j = (out_t) acc_j. Zero weights are skipped at
// compile time (the weights are constants), so a pruned layer has no multiplier for them.
//
// ReuseFactor R (C::reuse_factor) must divide n_in * n_out (firmnet checks this when it writes
// the project). The products, taken input-major (k = i * n_out + j), form R groups of
// C::n_mult = n_in * n_out / R; each output still adds its products in input order.
//   dense_latency:  everything unrolled, PIPELINE II=R: the tool shares each multiplier R times.
//   dense_resource: an explicit reuse loop of R iterations, each doing n_mult products, with the
//                   weights in a ROM (BRAM when R > 1) reshaped so that one word holds a group.
#ifndef FNET_DENSE_H_
#define FNET_DENSE_H_

#include "fnet_common.h"

namespace fnet {

// The parts both strategies share. The accumulators start at the bias:
template <class C>
inline void dense_load_bias(const typename C::bias_raw_t b[C::n_out],
                            typename C::accum_t acc[C::n_out]) {
#pragma HLS INLINE
Bias:
  for (unsigned j = 0; j < C::n_out; j++) {
#pragma HLS UNROLL
    acc[j] = from_raw<typename C::bias_t>(b[j]);
  }
}

// acc = acc + (accum_t)(x * w); a zero weight is a constant, so this folds away (pruned).
template <class C>
inline void dense_mac(const typename C::in_t& x, const typename C::weight_raw_t wr,
                      typename C::accum_t& acc) {
#pragma HLS INLINE
  if (wr == 0) return;
  const typename C::accum_t p = mac_product<C>::mul(x, from_raw<typename C::weight_t>(wr));
  acc = acc + p;
}

// y = (out_t) acc.
template <class C>
inline void dense_store(const typename C::accum_t acc[C::n_out], typename C::out_t y[C::n_out]) {
#pragma HLS INLINE
Result:
  for (unsigned j = 0; j < C::n_out; j++) {
#pragma HLS UNROLL
    y[j] = acc[j];
  }
}

template <class C>
struct dense_latency {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out],
                  const typename C::weight_raw_t w[C::n_in * C::n_out],
                  const typename C::bias_raw_t b[C::n_out]) {
#pragma HLS INLINE
#pragma HLS PIPELINE II = C::reuse_factor
#pragma HLS ARRAY_PARTITION variable = w complete
#pragma HLS ARRAY_PARTITION variable = b complete
    typename C::accum_t acc[C::n_out];
#pragma HLS ARRAY_PARTITION variable = acc complete
    dense_load_bias<C>(b, acc);
  Product:
    for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS UNROLL
      for (unsigned j = 0; j < C::n_out; j++) {
#pragma HLS UNROLL
        dense_mac<C>(x[i], w[i * C::n_out + j], acc[j]);
      }
    }
    dense_store<C>(acc, y);
  }
};

template <class C>
struct dense_resource {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out],
                  const typename C::weight_raw_t w[C::n_in * C::n_out],
                  const typename C::bias_raw_t b[C::n_out]) {
#pragma HLS INLINE off
#pragma HLS ARRAY_RESHAPE variable = w cyclic factor = C::n_mult
#ifdef __VITIS_HLS__
#pragma HLS BIND_STORAGE variable = w type = rom_1p impl = bram
#else
#pragma HLS RESOURCE variable = w core = ROM_1P_BRAM
#endif
#pragma HLS ARRAY_PARTITION variable = b complete
    typename C::accum_t acc[C::n_out];
#pragma HLS ARRAY_PARTITION variable = acc complete
    dense_load_bias<C>(b, acc);
  Reuse:
    for (unsigned r = 0; r < C::reuse_factor; r++) {
#pragma HLS PIPELINE II = 1
    Group:
      for (unsigned m = 0; m < C::n_mult; m++) {
#pragma HLS UNROLL
        const unsigned k = r * C::n_mult + m;  // input-major: k = i * n_out + j
        dense_mac<C>(x[k / C::n_out], w[k], acc[k % C::n_out]);
      }
    }
    dense_store<C>(acc, y);
  }
};

}  // namespace fnet

#endif  // FNET_DENSE_H_
