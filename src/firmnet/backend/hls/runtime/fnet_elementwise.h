// firmnet HLS layer library: element-wise layers without tables (docs/tables.md, first table):
// linear, relu, leaky_relu, clip, hard_sigmoid, batchnorm, and reshape (a cast in row-major
// order). Every value is computed exactly and cast once to out_t, as the emulator does.
// Constants of a layer (alpha, beta, min, max) are raw values of C::param_t in the config.
#ifndef FNET_ELEMENTWISE_H_
#define FNET_ELEMENTWISE_H_

#include "fnet_common.h"

namespace fnet {

// The loop every element-wise layer shares: y[i] = OP(x[i]) for each i, fully unrolled. OP is
// a struct with one static function apply<C>(x, y) that assigns one output (the assignment is
// the single cast to out_t); the layers below are this loop with their OP.
template <class C, class OP>
struct elementwise {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out]) {
#pragma HLS INLINE
    for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS UNROLL
      OP::template apply<C>(x[i], y[i]);
    }
  }
};

// linear and reshape: y = (out_t) x.
struct linear_op {
  template <class C>
  static void apply(const typename C::in_t& x, typename C::out_t& y) {
#pragma HLS INLINE
    y = x;
  }
};
template <class C>
struct linear : elementwise<C, linear_op> {};

// relu: y = (out_t)(x > 0 ? x : 0).
struct relu_op {
  template <class C>
  static void apply(const typename C::in_t& x, typename C::out_t& y) {
#pragma HLS INLINE
    if (x > 0) {
      y = x;
    } else {
      y = typename C::in_t(0);
    }
  }
};
template <class C>
struct relu : elementwise<C, relu_op> {};

// leaky_relu: y = x > 0 ? (out_t) x : (out_t)(alpha * x), the product exact.
struct leaky_relu_op {
  template <class C>
  static void apply(const typename C::in_t& x, typename C::out_t& y) {
#pragma HLS INLINE
    const typename C::param_t alpha = from_raw<typename C::param_t>(C::alpha_raw);
    if (x > 0) {
      y = x;
    } else {
      y = alpha * x;
    }
  }
};
template <class C>
struct leaky_relu : elementwise<C, leaky_relu_op> {};

// clip: y = x < min ? (out_t) min : x > max ? (out_t) max : (out_t) x, compared exactly.
struct clip_op {
  template <class C>
  static void apply(const typename C::in_t& x, typename C::out_t& y) {
#pragma HLS INLINE
    const typename C::param_t lo = from_raw<typename C::param_t>(C::min_raw);
    const typename C::param_t hi = from_raw<typename C::param_t>(C::max_raw);
    if (x < lo) {
      y = lo;
    } else if (x > hi) {
      y = hi;
    } else {
      y = x;
    }
  }
};
template <class C>
struct clip : elementwise<C, clip_op> {};

// hard_sigmoid: v = alpha * x + beta exactly; y = (out_t) min(max(v, 0), 1).
struct hard_sigmoid_op {
  template <class C>
  static void apply(const typename C::in_t& x, typename C::out_t& y) {
#pragma HLS INLINE
    const typename C::param_t alpha = from_raw<typename C::param_t>(C::alpha_raw);
    const typename C::param_t beta = from_raw<typename C::param_t>(C::beta_raw);
    if (alpha * x + beta < 0) {
      y = ap_uint<1>(0);
    } else if (alpha * x + beta > 1) {
      y = ap_uint<1>(1);
    } else {
      y = alpha * x + beta;
    }
  }
};
template <class C>
struct hard_sigmoid : elementwise<C, hard_sigmoid_op> {};

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
