// firmnet HLS layer library: convolutions (conv1d, conv2d, depthwise_conv1d, depthwise_conv2d).
//
// Arithmetic (docs/semantics.md, "Convolutions"): every output pixel is a dense layer over its
// window, taken in (kh, kw, c) order with zeros where the window leaves the input (hls4ml's
// im2col buffer): acc_f = (accum_t) bias_f; for each window row r: acc_f = acc_f +
// (accum_t)(win_r * w_rf); y_f = (out_t) acc_f. A padded zero adds (accum_t) 0, which cannot
// change acc. Zero weights are compile-time constants and fold away.
//
// Rows and weights: a convolution has n_rows = filt_h * filt_w * n_chan rows, row r reading
// window value r, weights [r][n_filt] (Keras's [kh, kw, C, F]). A depthwise convolution
// (C::depthwise) has n_rows = filt_h * filt_w, weights [r][C * M] (Keras's [kh, kw, C, M]), and
// output channel f = c * M + m reads window value r * n_chan + f / M.
//
// C provides the window members of fnet_window.h plus n_filt, depth_mult, depthwise, n_rows,
// weight_t, bias_t, accum_t, weight_raw_t, bias_raw_t, reuse_factor and n_mult = n_rows *
// n_filt / reuse_factor.
//   conv_latency:  every output pixel unrolled, PIPELINE II = reuse_factor (io_parallel); in
//                  io_stream one output pixel per window step, all products unrolled.
//   conv_resource: pixels one after another; each pixel's n_rows * n_filt products in
//                  reuse_factor cycles of n_mult (row-major k = r * n_filt + f, so every output
//                  still adds its products in row order), as dense_resource does.
// run() takes channels-last arrays; run_stream() pixel beats (fnet_window.h).
#ifndef FNET_CONV_H_
#define FNET_CONV_H_

#include "fnet_common.h"
#include "fnet_window.h"

namespace fnet {

// The window value that row r of output channel f multiplies.
template <class C>
inline unsigned conv_win_index(unsigned r, unsigned f) {
#pragma HLS INLINE
  return C::depthwise ? r * C::n_chan + f / C::depth_mult : r;
}

// acc = acc + (accum_t)(x * w); nothing for a zero weight.
template <class C>
inline void conv_mac(const typename C::in_t& x, const typename C::weight_raw_t wr,
                     typename C::accum_t& acc) {
#pragma HLS INLINE
  if (wr == 0) return;
  const typename C::accum_t p = mac_product<C>::mul(x, from_raw<typename C::weight_t>(wr));
  acc = acc + p;
}

// One output pixel from its window, everything unrolled.
template <class C>
void conv_window_latency(const typename C::in_t win[C::filt_h * C::filt_w * C::n_chan],
                         typename C::out_t y[C::n_filt],
                         const typename C::weight_raw_t w[C::n_rows * C::n_filt],
                         const typename C::bias_raw_t b[C::n_filt]) {
#pragma HLS INLINE
  typename C::accum_t acc[C::n_filt];
#pragma HLS ARRAY_PARTITION variable = acc complete
Bias:
  for (unsigned f = 0; f < C::n_filt; f++) {
#pragma HLS UNROLL
    acc[f] = from_raw<typename C::bias_t>(b[f]);
  }
Product:
  for (unsigned r = 0; r < C::n_rows; r++) {
#pragma HLS UNROLL
    for (unsigned f = 0; f < C::n_filt; f++) {
#pragma HLS UNROLL
      conv_mac<C>(win[conv_win_index<C>(r, f)], w[r * C::n_filt + f], acc[f]);
    }
  }
Result:
  for (unsigned f = 0; f < C::n_filt; f++) {
#pragma HLS UNROLL
    y[f] = acc[f];
  }
}

// One output pixel from its window in reuse_factor steps of n_mult products.
template <class C>
void conv_window_resource(const typename C::in_t win[C::filt_h * C::filt_w * C::n_chan],
                          typename C::out_t y[C::n_filt],
                          const typename C::weight_raw_t w[C::n_rows * C::n_filt],
                          const typename C::bias_raw_t b[C::n_filt]) {
#pragma HLS INLINE
  typename C::accum_t acc[C::n_filt];
#pragma HLS ARRAY_PARTITION variable = acc complete
Bias:
  for (unsigned f = 0; f < C::n_filt; f++) {
#pragma HLS UNROLL
    acc[f] = from_raw<typename C::bias_t>(b[f]);
  }
Reuse:
  for (unsigned s = 0; s < C::reuse_factor; s++) {
#pragma HLS PIPELINE II = 1
  Group:
    for (unsigned m = 0; m < C::n_mult; m++) {
#pragma HLS UNROLL
      const unsigned k = s * C::n_mult + m;
      const unsigned r = k / C::n_filt, f = k % C::n_filt;
      conv_mac<C>(win[conv_win_index<C>(r, f)], w[k], acc[f]);
    }
  }
Result:
  for (unsigned f = 0; f < C::n_filt; f++) {
#pragma HLS UNROLL
    y[f] = acc[f];
  }
}

template <class C, bool Resource>
struct conv_window_op {
  const typename C::weight_raw_t* w;
  const typename C::bias_raw_t* b;
  void operator()(const typename C::in_t win[C::filt_h * C::filt_w * C::n_chan], unsigned oh,
                  unsigned ow, pixel<typename C::out_t, C::n_filt>& out) {
#pragma HLS INLINE
    (void)oh;
    (void)ow;
    if (Resource) {
      conv_window_resource<C>(win, out.data, w, b);
    } else {
      conv_window_latency<C>(win, out.data, w, b);
    }
  }
};

template <class C>
struct conv_latency {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out],
                  const typename C::weight_raw_t w[C::n_rows * C::n_filt],
                  const typename C::bias_raw_t b[C::n_filt]) {
#pragma HLS INLINE
#pragma HLS PIPELINE II = C::reuse_factor
#pragma HLS ARRAY_PARTITION variable = w complete
#pragma HLS ARRAY_PARTITION variable = b complete
  Pixels:
    for (unsigned oh = 0; oh < C::out_h; oh++) {
#pragma HLS UNROLL
      for (unsigned ow = 0; ow < C::out_w; ow++) {
#pragma HLS UNROLL
        typename C::in_t win[C::filt_h * C::filt_w * C::n_chan];
#pragma HLS ARRAY_PARTITION variable = win complete
        fill_window<C>(x, oh, ow, typename C::in_t(0), win);
        conv_window_latency<C>(win, y + (oh * C::out_w + ow) * C::n_filt, w, b);
      }
    }
  }
  static void run_stream(hls::stream<pixel<typename C::in_t, C::n_chan> >& x,
                         hls::stream<pixel<typename C::out_t, C::n_filt> >& y,
                         const typename C::weight_raw_t w[C::n_rows * C::n_filt],
                         const typename C::bias_raw_t b[C::n_filt]) {
#pragma HLS INLINE off
#pragma HLS ARRAY_PARTITION variable = w complete
#pragma HLS ARRAY_PARTITION variable = b complete
    conv_window_op<C, false> op = {w, b};
    stream_window<C, typename C::in_t, typename C::out_t, C::n_filt>(x, y, typename C::in_t(0), op);
  }
};

template <class C>
struct conv_resource {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out],
                  const typename C::weight_raw_t w[C::n_rows * C::n_filt],
                  const typename C::bias_raw_t b[C::n_filt]) {
#pragma HLS INLINE off
#pragma HLS ARRAY_RESHAPE variable = w cyclic factor = C::n_mult
#pragma HLS ARRAY_PARTITION variable = b complete
  Pixels:
    for (unsigned oh = 0; oh < C::out_h; oh++) {
      for (unsigned ow = 0; ow < C::out_w; ow++) {
        typename C::in_t win[C::filt_h * C::filt_w * C::n_chan];
#pragma HLS ARRAY_PARTITION variable = win complete
        fill_window<C>(x, oh, ow, typename C::in_t(0), win);
        conv_window_resource<C>(win, y + (oh * C::out_w + ow) * C::n_filt, w, b);
      }
    }
  }
  static void run_stream(hls::stream<pixel<typename C::in_t, C::n_chan> >& x,
                         hls::stream<pixel<typename C::out_t, C::n_filt> >& y,
                         const typename C::weight_raw_t w[C::n_rows * C::n_filt],
                         const typename C::bias_raw_t b[C::n_filt]) {
#pragma HLS INLINE off
#pragma HLS ARRAY_RESHAPE variable = w cyclic factor = C::n_mult
#pragma HLS ARRAY_PARTITION variable = b complete
    conv_window_op<C, true> op = {w, b};
    stream_window<C, typename C::in_t, typename C::out_t, C::n_filt>(x, y, typename C::in_t(0), op);
  }
};

}  // namespace fnet

#endif  // FNET_CONV_H_
