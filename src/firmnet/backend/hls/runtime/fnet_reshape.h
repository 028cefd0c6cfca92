// firmnet HLS layer library: layers that only move values (docs/semantics.md, "Pooling, padding,
// upsampling"): zero padding, cropping and nearest-neighbour upsampling of channels-last feature
// maps (fnet::axis_map), transpose of any rank, slice and split. Every value is cast from in_t to
// out_t (the identity when the types are equal, as in hls4ml); padded positions are 0. (Reshape and
// flatten keep the row-major order: they are fnet::linear of fnet_elementwise.h.)
#ifndef FNET_RESHAPE_H_
#define FNET_RESHAPE_H_

#include "fnet_common.h"

namespace fnet {

// A 1-D ([L, C]: height 1) or 2-D ([H, W, C]) feature map mapped axis by axis: output position p
// of an axis reads input position p / factor + shift, or 0 when that is outside [0, in).
//   zero padding: factor 1, shift -begin;  cropping: factor 1, shift +begin;
//   upsampling: factor f, shift 0 (hls4ml's io_stream index; InferShape checks that its
//   io_parallel index agrees).
// Config: in_height, in_width, out_height, out_width, channels (unsigned); factor_h, factor_w
// (unsigned), shift_h, shift_w (int).
template <class C>
struct axis_map {
  typedef C config;
  static void run(const typename C::in_t* x, typename C::out_t* y) {
#pragma HLS INLINE
  Rows:
    for (unsigned h = 0; h < C::out_height; h++) {
#pragma HLS UNROLL
    Cols:
      for (unsigned w = 0; w < C::out_width; w++) {
#pragma HLS UNROLL
        const int sh = int(h / C::factor_h) + C::shift_h;
        const int sw = int(w / C::factor_w) + C::shift_w;
        const bool inside = sh >= 0 && sh < int(C::in_height) && sw >= 0 && sw < int(C::in_width);
      Channels:
        for (unsigned c = 0; c < C::channels; c++) {
#pragma HLS UNROLL
          const unsigned o = (h * C::out_width + w) * C::channels + c;
          if (inside) {
            y[o] = x[(unsigned(sh) * C::in_width + unsigned(sw)) * C::channels + c];
          } else {
            y[o] = 0;
          }
        }
      }
    }
  }
};

// A gather over C::rank axes: output axis k has C::out_dim(k) positions, and position p reads
// position p + C::start(k) of the input axis whose elements are C::in_stride(k) apart.
template <class C>
struct axis_gather {
  typedef C config;
  static void run(const typename C::in_t* x, typename C::out_t* y) {
#pragma HLS INLINE
  Elements:
    for (unsigned i = 0; i < C::n_out; i++) {
#pragma HLS UNROLL
      unsigned rest = i, src = 0;
    Axes:
      for (unsigned k = C::rank; k-- > 0;) {
#pragma HLS UNROLL
        src += (rest % C::out_dim(k) + C::start(k)) * C::in_stride(k);
        rest /= C::out_dim(k);
      }
      y[i] = x[src];
    }
  }
};

// Transpose: in_stride(k) is the input stride of axis perm[k], every start 0.
template <class C>
struct transpose : axis_gather<C> {};
// Slice: the input's own strides, start(k) the first position kept.
template <class C>
struct slice : axis_gather<C> {};

// Split (a multi-output layer): output port p holds, for each of the C::outer blocks before the
// split axis, positions [C::start(p), C::start(p) + C::size(p)) of the axis (C::extent
// positions) with the C::inner values after it. run(x, y0, y1, ...) writes every port; all
// ports have the layer's result type.
template <class C>
struct split {
  typedef C config;
  template <class Y>
  static void port(const typename C::in_t* x, Y* y, unsigned p) {
#pragma HLS INLINE
    const unsigned n = C::size(p) * C::inner;
  Blocks:
    for (unsigned o = 0; o < C::outer; o++) {
#pragma HLS UNROLL
    Values:
      for (unsigned i = 0; i < n; i++) {
#pragma HLS UNROLL
        y[o * n + i] = x[(o * C::extent + C::start(p)) * C::inner + i];
      }
    }
  }
  template <class... Y>
  static void run(const typename C::in_t* x, Y*... y) {
#pragma HLS INLINE
    unsigned p = 0;
    const int in_order[] = {(port(x, y, p++), 0)...};  // braced lists run left to right
    (void)in_order;
  }
};

}  // namespace fnet

#endif  // FNET_RESHAPE_H_
