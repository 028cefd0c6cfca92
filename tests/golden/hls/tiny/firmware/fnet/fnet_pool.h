// firmnet HLS layer library: max and average pooling, windowed and global, 1-D and 2-D.
//
// Arithmetic (docs/semantics.md, "Pooling, padding, upsampling"), per channel over the window's
// cells in row-major order:
//   max:     m = the largest value of the window in the input type, a padded cell holding
//            hls4ml's pad value (the input type with only its top bit set);
//            y = (out_t)(accum_t) m.
//   average: acc = (accum_t) 0; acc = (accum_t)(acc + x) per cell (a padded cell is 0, which
//            cannot change acc); acc's raw integer divided by n, truncated toward zero, with n =
//            filt_h * filt_w when C::count_pad, else the cells inside the input; y = (out_t) acc.
// Global pools take the whole map (n = in_h * in_w) and give one pixel of n_chan values.
//
// Windowed pools (pool_window): the window members of fnet_window.h, accum_t, is_max, count_pad.
// Global pools (pool_global): in_h, in_w, n_chan, accum_t, is_max. run() reads channels-last
// arrays; run_stream() pixel beats (a global pool accumulates over every beat, then writes one).
#ifndef FNET_POOL_H_
#define FNET_POOL_H_

#include "fnet_common.h"
#include "fnet_window.h"

namespace fnet {

// hls4ml's pad value of a max pool: the type with only its top bit set.
template <class T>
inline T pool_max_pad() {
#pragma HLS INLINE
  T p = 0;
  p[T::width - 1] = 1;
  return p;
}

// acc / n, the raw integer quotient truncated toward zero, in acc's type.
template <class A>
inline A pool_divide(const A& acc, unsigned n) {
#pragma HLS INLINE
  const ap_int<A::width + 1> raw = to_raw(acc);
  const ap_int<A::width> q = raw / ap_int<33>(n);  // |q| <= |raw|: fits A's raw pattern
  A out;
  out.range(A::width - 1, 0) = q;
  return out;
}

// One channel of one output pixel: `stride` apart in `v`, `len` values.
template <class C>
inline typename C::out_t pool_reduce(const typename C::in_t* v, unsigned len, unsigned stride,
                                     unsigned divisor) {
#pragma HLS INLINE
  if (C::is_max) {
    typename C::in_t m = v[0];
    for (unsigned i = 1; i < len; i++) {
#pragma HLS UNROLL
      if (v[i * stride] > m) m = v[i * stride];
    }
    const typename C::accum_t a = m;
    return typename C::out_t(a);
  }
  typename C::accum_t acc = 0;
  for (unsigned i = 0; i < len; i++) {
#pragma HLS UNROLL
    acc = acc + v[i * stride];
  }
  if (divisor != 1) acc = pool_divide(acc, divisor);
  return typename C::out_t(acc);
}

template <class C>
inline typename C::in_t pool_pad_value() {
#pragma HLS INLINE
  return C::is_max ? pool_max_pad<typename C::in_t>() : typename C::in_t(0);
}

template <class C>
struct pool_window_op {
  void operator()(const typename C::in_t win[C::filt_h * C::filt_w * C::n_chan], unsigned oh,
                  unsigned ow, pixel<typename C::out_t, C::n_chan>& out) {
#pragma HLS INLINE
    const unsigned n = C::count_pad ? C::filt_h * C::filt_w : window_cells_inside<C>(oh, ow);
    for (unsigned c = 0; c < C::n_chan; c++) {
#pragma HLS UNROLL
      out[c] = pool_reduce<C>(win + c, C::filt_h * C::filt_w, C::n_chan, n);
    }
  }
};

template <class C>
struct pool_window {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out]) {
#pragma HLS INLINE
  Pixels:
    for (unsigned oh = 0; oh < C::out_h; oh++) {
#pragma HLS UNROLL
      for (unsigned ow = 0; ow < C::out_w; ow++) {
#pragma HLS UNROLL
        typename C::in_t win[C::filt_h * C::filt_w * C::n_chan];
#pragma HLS ARRAY_PARTITION variable = win complete
        fill_window<C>(x, oh, ow, pool_pad_value<C>(), win);
        pixel<typename C::out_t, C::n_chan> out;
        pool_window_op<C>()(win, oh, ow, out);
        for (unsigned c = 0; c < C::n_chan; c++) {
#pragma HLS UNROLL
          y[(oh * C::out_w + ow) * C::n_chan + c] = out[c];
        }
      }
    }
  }
  static void run_stream(hls::stream<pixel<typename C::in_t, C::n_chan> >& x,
                         hls::stream<pixel<typename C::out_t, C::n_chan> >& y) {
#pragma HLS INLINE off
    pool_window_op<C> op;
    stream_window<C, typename C::in_t, typename C::out_t, C::n_chan>(x, y, pool_pad_value<C>(), op);
  }
};

template <class C>
struct pool_global {
  typedef C config;
  static void run(const typename C::in_t x[C::n_in], typename C::out_t y[C::n_out]) {
#pragma HLS INLINE
    for (unsigned c = 0; c < C::n_chan; c++) {
#pragma HLS UNROLL
      y[c] = pool_reduce<C>(x + c, C::in_h * C::in_w, C::n_chan, C::in_h * C::in_w);
    }
  }
  static void run_stream(hls::stream<pixel<typename C::in_t, C::n_chan> >& x,
                         hls::stream<pixel<typename C::out_t, C::n_chan> >& y) {
#pragma HLS INLINE off
    typename C::in_t m[C::n_chan];
#pragma HLS ARRAY_PARTITION variable = m complete
    typename C::accum_t acc[C::n_chan];
#pragma HLS ARRAY_PARTITION variable = acc complete
  Beats:
    for (unsigned i = 0; i < C::in_h * C::in_w; i++) {
#pragma HLS PIPELINE II = 1
      const pixel<typename C::in_t, C::n_chan> p = x.read();
      for (unsigned c = 0; c < C::n_chan; c++) {
#pragma HLS UNROLL
        if (C::is_max) {
          if (i == 0 || p[c] > m[c]) m[c] = p[c];
        } else {
          acc[c] = (i == 0 ? typename C::accum_t(0) : acc[c]) + p[c];
        }
      }
    }
    pixel<typename C::out_t, C::n_chan> out;
    for (unsigned c = 0; c < C::n_chan; c++) {
#pragma HLS UNROLL
      if (C::is_max) {
        const typename C::accum_t a = m[c];
        out[c] = a;
      } else {
        const typename C::accum_t a =
            C::in_h * C::in_w != 1 ? pool_divide(acc[c], C::in_h * C::in_w) : acc[c];
        out[c] = a;
      }
    }
    y.write(out);
  }
};

}  // namespace fnet

#endif  // FNET_POOL_H_
