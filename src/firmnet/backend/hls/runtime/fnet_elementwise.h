// firmnet HLS layer library: element-wise layers without tables (docs/tables.md, first table):
// linear, relu, leaky_relu, clip, hard_sigmoid, batchnorm, and reshape (a cast in row-major
// order). Every value is computed exactly and cast once to out_t, as the emulator does.
// Constants of a layer (alpha, beta, min, max) are raw values of C::param_t in the config.
#ifndef FNET_ELEMENTWISE_H_
#define FNET_ELEMENTWISE_H_

#include "fnet_common.h"

namespace fnet {

// linear and reshape: y = (out_t) x.
template <class C>
struct linear {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out]) {
#pragma HLS INLINE
    for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS UNROLL
      y[i] = x[i];
    }
  }
};

// relu: y = (out_t)(x > 0 ? x : 0).
template <class C>
struct relu {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out]) {
#pragma HLS INLINE
    for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS UNROLL
      if (x[i] > 0) {
        y[i] = x[i];
      } else {
        y[i] = typename C::in_t(0);
      }
    }
  }
};

// leaky_relu: y = x > 0 ? (out_t) x : (out_t)(alpha * x), the product exact.
template <class C>
struct leaky_relu {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out]) {
#pragma HLS INLINE
    const typename C::param_t alpha = from_raw<typename C::param_t>(C::alpha_raw);
    for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS UNROLL
      if (x[i] > 0) {
        y[i] = x[i];
      } else {
        y[i] = alpha * x[i];
      }
    }
  }
};

// clip: y = x < min ? (out_t) min : x > max ? (out_t) max : (out_t) x, compared exactly.
template <class C>
struct clip {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out]) {
#pragma HLS INLINE
    const typename C::param_t lo = from_raw<typename C::param_t>(C::min_raw);
    const typename C::param_t hi = from_raw<typename C::param_t>(C::max_raw);
    for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS UNROLL
      if (x[i] < lo) {
        y[i] = lo;
      } else if (x[i] > hi) {
        y[i] = hi;
      } else {
        y[i] = x[i];
      }
    }
  }
};

// hard_sigmoid: v = alpha * x + beta exactly; y = (out_t) min(max(v, 0), 1).
template <class C>
struct hard_sigmoid {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out]) {
#pragma HLS INLINE
    const typename C::param_t alpha = from_raw<typename C::param_t>(C::alpha_raw);
    const typename C::param_t beta = from_raw<typename C::param_t>(C::beta_raw);
    for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS UNROLL
      const typename C::in_t xi = x[i];
      if (alpha * xi + beta < 0) {
        y[i] = ap_uint<1>(0);
      } else if (alpha * xi + beta > 1) {
        y[i] = ap_uint<1>(1);
      } else {
        y[i] = alpha * xi + beta;
      }
    }
  }
};

// batchnorm (inference): y = (out_t)(x * scale + bias), product and sum exact.
template <class C>
struct batchnorm {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out],
                  const typename C::scale_raw_t s[C::n_in],
                  const typename C::bias_raw_t b[C::n_in]) {
#pragma HLS INLINE
#pragma HLS ARRAY_PARTITION variable = s complete
#pragma HLS ARRAY_PARTITION variable = b complete
    for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS UNROLL
      y[i] = x[i] * from_raw<typename C::scale_t>(s[i]) + from_raw<typename C::bias_t>(b[i]);
    }
  }
};

}  // namespace fnet

#endif  // FNET_ELEMENTWISE_H_
