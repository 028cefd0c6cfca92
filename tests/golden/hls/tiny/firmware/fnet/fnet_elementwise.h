// firmnet HLS layer library: element-wise layers without tables (docs/tables.md, first table):
// linear, relu, leaky_relu, clip, hard_sigmoid, batchnorm, binary/ternary tanh and their merged
// batchnorm thresholds, HGQ's per-element quantizer, and reshape (a cast in row-major order).
// Every value is computed exactly and cast once to out_t, as the emulator does.
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

// fixed_point_quantizer (HGQ): a type per element, so the config writes the casts
// (C::quantize: y[i] = (ap_fixed<B_i, I_i, RND, SAT>) x[i], or 0).
template <class C>
struct fixed_point_quantizer {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out]) {
#pragma HLS INLINE
    C::quantize(x, y);
  }
};

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

// batchnorm (inference): y_i = (out_t)(x_i * scale_c + bias_c), product and sum exact; c = i
// mod n_scale (n_scale = n_in, or the channels of a feature map: one scale per channel).
template <class C>
struct batchnorm {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out],
                  const typename C::scale_raw_t s[C::n_scale],
                  const typename C::bias_raw_t b[C::n_scale]) {
#pragma HLS INLINE
#pragma HLS ARRAY_PARTITION variable = s complete
#pragma HLS ARRAY_PARTITION variable = b complete
    for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS UNROLL
      const unsigned c = i % C::n_scale;
      y[i] = x[i] * from_raw<typename C::scale_t>(s[c]) + from_raw<typename C::bias_t>(b[c]);
    }
  }
  // io_stream: one pixel of n_scale channels per beat (native_stream when n_scale < n_in).
  static void run_stream(hls::stream<pixel<typename C::in_t, C::n_scale> >& x,
                         hls::stream<pixel<typename C::out_t, C::n_scale> >& y,
                         const typename C::scale_raw_t s[C::n_scale],
                         const typename C::bias_raw_t b[C::n_scale]) {
#pragma HLS INLINE off
#pragma HLS ARRAY_PARTITION variable = s complete
#pragma HLS ARRAY_PARTITION variable = b complete
  Pixels:
    for (unsigned p = 0; p < C::n_in / C::n_scale; p++) {
#pragma HLS PIPELINE II = 1
      const pixel<typename C::in_t, C::n_scale> in = x.read();
      pixel<typename C::out_t, C::n_scale> out;
      for (unsigned c = 0; c < C::n_scale; c++) {
#pragma HLS UNROLL
        out[c] = in[c] * from_raw<typename C::scale_t>(s[c]) + from_raw<typename C::bias_t>(b[c]);
      }
      y.write(out);
    }
  }
};

// binary_tanh: y = (out_t)(x >= 0 ? 1 : C::low). Binary values are held as -1/+1 (low = -1);
// low = 0 writes hls4ml's XNOR encoding (ap_uint<1>: 1 for +1, 0 for -1).
struct binary_tanh_op {
  template <class C>
  static void apply(const typename C::in_t& x, typename C::out_t& y) {
#pragma HLS INLINE
    if (x >= 0) {
      y = ap_int<2>(1);
    } else {
      y = ap_int<2>(C::low);
    }
  }
};
template <class C>
struct binary_tanh : elementwise<C, binary_tanh_op> {};

// ternary_tanh: d = (in_t)(2 * x); y = (out_t)(d > 1 ? 1 : d > -1 ? 0 : -1).
struct ternary_tanh_op {
  template <class C>
  static void apply(const typename C::in_t& x, typename C::out_t& y) {
#pragma HLS INLINE
    const typename C::in_t d = 2 * x;
    if (d > 1) {
      y = ap_int<2>(1);
    } else if (d > -1) {
      y = ap_int<2>(0);
    } else {
      y = ap_int<2>(-1);
    }
  }
};
template <class C>
struct ternary_tanh : elementwise<C, ternary_tanh_op> {};

// batchnorm_quantized_tanh: a batchnorm and a binary (threshold2) or ternary (threshold3) tanh
// merged into thresholds of the input type, one per value or per channel (c = i mod n_scale):
//   threshold2: y = x >= t_c ? +1 : C::low (-1, or 0 in hls4ml's XNOR encoding);
//   threshold3: y = x > hi_c ? +1 : x <= lo_c ? -1 : 0.
template <class C>
struct threshold2 {
  typedef C config;
  static typename C::out_t level(const typename C::in_t& x, typename C::threshold_raw_t t) {
#pragma HLS INLINE
    return typename C::out_t(x >= from_raw<typename C::in_t>(t) ? 1 : C::low);
  }
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out],
                  const typename C::threshold_raw_t t[C::n_scale]) {
#pragma HLS INLINE
#pragma HLS ARRAY_PARTITION variable = t complete
    for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS UNROLL
      y[i] = level(x[i], t[i % C::n_scale]);
    }
  }
  static void run_stream(hls::stream<pixel<typename C::in_t, C::n_scale> >& x,
                         hls::stream<pixel<typename C::out_t, C::n_scale> >& y,
                         const typename C::threshold_raw_t t[C::n_scale]) {
#pragma HLS INLINE off
#pragma HLS ARRAY_PARTITION variable = t complete
  Pixels:
    for (unsigned p = 0; p < C::n_in / C::n_scale; p++) {
#pragma HLS PIPELINE II = 1
      const pixel<typename C::in_t, C::n_scale> in = x.read();
      pixel<typename C::out_t, C::n_scale> out;
      for (unsigned c = 0; c < C::n_scale; c++) {
#pragma HLS UNROLL
        out[c] = level(in[c], t[c]);
      }
      y.write(out);
    }
  }
};

template <class C>
struct threshold3 {
  typedef C config;
  static typename C::out_t level(const typename C::in_t& x, typename C::threshold_raw_t hi,
                                 typename C::threshold_raw_t lo) {
#pragma HLS INLINE
    if (x > from_raw<typename C::in_t>(hi)) return typename C::out_t(1);
    if (x <= from_raw<typename C::in_t>(lo)) return typename C::out_t(-1);
    return typename C::out_t(0);
  }
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out],
                  const typename C::threshold_raw_t hi[C::n_scale],
                  const typename C::threshold_raw_t lo[C::n_scale]) {
#pragma HLS INLINE
#pragma HLS ARRAY_PARTITION variable = hi complete
#pragma HLS ARRAY_PARTITION variable = lo complete
    for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS UNROLL
      y[i] = level(x[i], hi[i % C::n_scale], lo[i % C::n_scale]);
    }
  }
  static void run_stream(hls::stream<pixel<typename C::in_t, C::n_scale> >& x,
                         hls::stream<pixel<typename C::out_t, C::n_scale> >& y,
                         const typename C::threshold_raw_t hi[C::n_scale],
                         const typename C::threshold_raw_t lo[C::n_scale]) {
#pragma HLS INLINE off
#pragma HLS ARRAY_PARTITION variable = hi complete
#pragma HLS ARRAY_PARTITION variable = lo complete
  Pixels:
    for (unsigned p = 0; p < C::n_in / C::n_scale; p++) {
#pragma HLS PIPELINE II = 1
      const pixel<typename C::in_t, C::n_scale> in = x.read();
      pixel<typename C::out_t, C::n_scale> out;
      for (unsigned c = 0; c < C::n_scale; c++) {
#pragma HLS UNROLL
        out[c] = level(in[c], hi[c], lo[c]);
      }
      y.write(out);
    }
  }
};

}  // namespace fnet

#endif  // FNET_ELEMENTWISE_H_
