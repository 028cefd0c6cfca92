// firmnet HLS layer library: shared helpers (raw-bit conversions, the io_stream adapter).
//
// This library is written for firmnet's generated projects and copied into each of them
// (firmware/fnet/). It is header-only C++ for Vitis HLS / Vivado HLS and for g++ C-simulation with
// any ap_fixed.h that follows AMD UG1399. Every layer is a struct template over its generated
// configuration struct C with one static function run(x, y, constants...): x and y are arrays
// (io_parallel), and fnet::stream_layer wraps any layer for io_stream (beats are fnet::pixel).
// Constants (weights, biases, lookup tables) are integer arrays of raw bit patterns, which g++
// compiles fast even for millions of values; fnet::from_raw turns one into its ap_fixed type.
//
// The arithmetic of every layer is the emulator's (docs/semantics.md, docs/tables.md): products
// and sums of ap types are exact and each assignment applies the target type's Q/O, in the same
// order as the emulator. The generated testbench checks that bit for bit.
#ifndef FNET_COMMON_H_
#define FNET_COMMON_H_

#include <stdint.h>

#include "ap_fixed.h"
#include "ap_int.h"
#include "hls_stream.h"

// A whole-tensor buffer in a function: in C simulation it is static, since a feature map of
// millions of values does not fit on the stack; synthesis sees a plain local array.
#ifndef __SYNTHESIS__
#define FNET_BUFFER static
#else
#define FNET_BUFFER
#endif

namespace fnet {

enum strategy_t { kLatency = 0, kResource = 1 };

// The ap_fixed value whose bit pattern is the low T::width bits of `raw` (no Q/O). In a
// C-simulation with firmnet's own headers (hls/include) it uses their bitsToFixed, which is
// several times faster than a range assignment; HLS tools and other headers take the portable
// range assignment.
template <class T, class R>
inline T from_raw(R raw) {
#pragma HLS INLINE
#if defined(FIRMNET_HLS_AP_COMMON_H_) && !defined(__SYNTHESIS__)
  return T::bitsToFixed((unsigned long long)(long long)raw);
#else
  T t;
  t.range(T::width - 1, 0) = raw;
  return t;
#endif
}

// The raw bit pattern of x, sign-extended for signed types, as a W-bit ap integer.
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
inline ap_int<W> to_raw(const ap_fixed<W, I, Q, O, N>& x) {
#pragma HLS INLINE
  ap_int<W> r = x.range(W - 1, 0);
  return r;
}
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
inline ap_uint<W> to_raw(const ap_ufixed<W, I, Q, O, N>& x) {
#pragma HLS INLINE
  ap_uint<W> r = x.range(W - 1, 0);
  return r;
}

// io_stream beats of N-D tensors: one pixel (all values of the last, channel, axis) per beat, the
// pixels in row-major order of the other axes. A 1-D vector [N] is one pixel of N values.
// One product of a dense or convolution, cast to the accumulator (docs/semantics.md):
// exactly x * w, or, when the layer's config declares po2_product_t (a QKeras quantized_po2
// kernel), hls4ml's shift product: t = (po2_product_t)((po2_product_t) x * |w|), then
// w < 0 ? (po2_product_t)(-t) : t (the shift truncates and wraps in po2_product_t).
template <class T>
struct fnet_void {
  typedef void type;
};
template <class C, class = void>
struct mac_product {
  template <class X, class W>
  static typename C::accum_t mul(const X& x, const W& w) {
#pragma HLS INLINE
    return x * w;
  }
};
template <class C>
struct mac_product<C, typename fnet_void<typename C::po2_product_t>::type> {
  template <class X, class W>
  static typename C::accum_t mul(const X& x, const W& w) {
#pragma HLS INLINE
    typedef typename C::po2_product_t r_t;
    const r_t a = x;
    const r_t t = w < 0 ? r_t(a * (-w)) : r_t(a * w);
    return typename C::accum_t(w < 0 ? r_t(-t) : t);
  }
};

template <class T, unsigned N>
struct pixel {
  T data[N];
  T& operator[](unsigned i) { return data[i]; }
  const T& operator[](unsigned i) const { return data[i]; }
};

// io_stream: reads the N values of a tensor, C per beat (N / C beats), into a flat array.
template <class T, unsigned C, unsigned N>
void read_pixels(hls::stream<pixel<T, C> >& in, T (&x)[N]) {
#pragma HLS INLINE
ReadBeats:
  for (unsigned b = 0; b < N / C; b++) {
#pragma HLS PIPELINE II = 1
    const pixel<T, C> p = in.read();
    for (unsigned c = 0; c < C; c++) {
#pragma HLS UNROLL
      x[b * C + c] = p[c];
    }
  }
}

// io_stream: writes a flat array of N values as N / C beats of C values.
template <class T, unsigned C, unsigned N>
void write_pixels(const T (&y)[N], hls::stream<pixel<T, C> >& out) {
#pragma HLS INLINE
WriteBeats:
  for (unsigned b = 0; b < N / C; b++) {
#pragma HLS PIPELINE II = 1
    pixel<T, C> p;
    for (unsigned c = 0; c < C; c++) {
#pragma HLS UNROLL
      p[c] = y[b * C + c];
    }
    out.write(p);
  }
}

// io_stream adapter of a layer with one input and no run_stream: it reads its whole input into a
// partitioned array, computes like in io_parallel, and writes its output beats in order.
// (Layers with several inputs get a generated adapter in the top function.)
template <class L, unsigned CI, unsigned CO, class... A>
void stream_layer(hls::stream<pixel<typename L::config::in_t, CI> >& in,
                  hls::stream<pixel<typename L::config::out_t, CO> >& out, const A&... consts) {
  typedef typename L::config C;
  FNET_BUFFER typename C::in_t x[C::n_in];
#pragma HLS ARRAY_PARTITION variable = x complete
  FNET_BUFFER typename C::out_t y[C::n_out];
#pragma HLS ARRAY_PARTITION variable = y complete
  read_pixels(in, x);
  L::run(x, y, consts...);
  write_pixels(y, out);
}

template <class P>
inline void write_each(const P&) {}
template <class P, class... S>
inline void write_each(const P& v, hls::stream<P>& s, S&... rest) {
#pragma HLS INLINE
  s.write(v);
  write_each(v, rest...);
}

// io_stream: a tensor read by several layers (or by a layer and an output port) is copied beat by
// beat into one stream per reader.
template <unsigned BEATS, class P, class... S>
void clone_stream(hls::stream<P>& in, S&... outs) {
CloneBeats:
  for (unsigned b = 0; b < BEATS; b++) {
#pragma HLS PIPELINE II = 1
    const P v = in.read();
    write_each(v, outs...);
  }
}

// io_parallel: an output that other layers read too is computed into a local array and copied to
// its port (the port stays write-only).
template <unsigned N, class T>
void copy_array(const T* x, T* y) {
#pragma HLS INLINE
  for (unsigned i = 0; i < N; i++) {
#pragma HLS UNROLL
    y[i] = x[i];
  }
}

}  // namespace fnet

#endif  // FNET_COMMON_H_
