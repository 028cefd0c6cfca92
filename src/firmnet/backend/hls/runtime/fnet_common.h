// firmnet HLS layer library: shared helpers (raw-bit conversions, the io_stream adapter).
//
// This library is written for firmnet's generated projects and copied into each of them
// (firmware/fnet/). It is header-only C++ for Vitis HLS / Vivado HLS and for g++ C-simulation with
// any ap_fixed.h that follows AMD UG1399. Every layer is a struct template over its generated
// configuration struct C with one static function run(x, y, constants...): x and y are arrays
// (io_parallel), and fnet::stream_layer wraps any layer for io_stream. Constants (weights, biases,
// lookup tables) are integer arrays of raw bit patterns, which g++ compiles fast even for millions
// of values; fnet::from_raw turns one into its ap_fixed type.
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
template <class T, unsigned N>
struct pixel {
  T data[N];
  T& operator[](unsigned i) { return data[i]; }
  const T& operator[](unsigned i) const { return data[i]; }
};

// io_stream: one value per stream beat. The layer reads its whole input into a partitioned
// array, computes like in io_parallel, and writes its output in order.
template <class L, class... A>
void stream_layer(hls::stream<typename L::config::in_t>& in,
                  hls::stream<typename L::config::out_t>& out, const A&... consts) {
  typedef typename L::config C;
  typename C::in_t x[C::n_in];
#pragma HLS ARRAY_PARTITION variable = x complete
  typename C::out_t y[C::n_out];
#pragma HLS ARRAY_PARTITION variable = y complete
ReadInput:
  for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS PIPELINE II = 1
    x[i] = in.read();
  }
  L::run(x, y, consts...);
WriteOutput:
  for (unsigned j = 0; j < C::n_out; j++) {
#pragma HLS PIPELINE II = 1
    out.write(y[j]);
  }
}

}  // namespace fnet

#endif  // FNET_COMMON_H_
