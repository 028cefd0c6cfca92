// firmnet HLS layer library: merges of several tensors (docs/semantics.md, "Merges"):
// add, subtract, multiply, maximum, minimum (a left-to-right fold, every intermediate in out_t),
// average (the exact mean, cast once), concatenate (any axis) and dot (two vectors).
//
// run() takes the inputs in node order, then the output: run(x0, x1, ..., y). Inputs may have
// different types (in_t, in1_t, ...); sums, differences, products and comparisons of ap_fixed
// values are exact, and every assignment to out_t or accum_t applies that type's Q/O, in the
// emulator's order.
#ifndef FNET_MERGE_H_
#define FNET_MERGE_H_

#include "fnet_common.h"

namespace fnet {

// Calls F::apply(y, x0, ..., x_{n-1}) for the arguments (x0, ..., x_{n-1}, y): run() takes the
// output last, and a parameter pack splits only at its front. K counts the rotations left.
template <class F, unsigned K>
struct output_first {
  template <class A, class... R>
  static void call(A a, R... r) {
#pragma HLS INLINE
    output_first<F, K - 1>::call(r..., a);
  }
};
template <class F>
struct output_first<F, 0> {
  template <class Y, class... X>
  static void call(Y y, X... x) {
#pragma HLS INLINE
    F::apply(y, x...);
  }
};

// One step of a fold: (T)(a op b), exact before the cast.
struct add_op {
  template <class T, class A, class B>
  static T apply(const A& a, const B& b) {
#pragma HLS INLINE
    T r = a + b;
    return r;
  }
};
struct subtract_op {
  template <class T, class A, class B>
  static T apply(const A& a, const B& b) {
#pragma HLS INLINE
    T r = a - b;
    return r;
  }
};
struct multiply_op {
  template <class T, class A, class B>
  static T apply(const A& a, const B& b) {
#pragma HLS INLINE
    T r = a * b;
    return r;
  }
};
struct maximum_op {
  template <class T, class A, class B>
  static T apply(const A& a, const B& b) {
#pragma HLS INLINE
    T r = a > b ? T(a) : T(b);
    return r;
  }
};
struct minimum_op {
  template <class T, class A, class B>
  static T apply(const A& a, const B& b) {
#pragma HLS INLINE
    T r = a < b ? T(a) : T(b);
    return r;
  }
};

// y = (out_t)(x0 op x1); then y = (out_t)(y op x_k) for every further input.
template <class C, class OP>
struct fold_merge {
  typedef C config;
  typedef typename C::out_t out_t;
  template <class... A>
  static void run(A... a) {
#pragma HLS INLINE
    output_first<fold_merge, sizeof...(A) - 1>::call(a...);
  }
  static void rest(out_t* /*y*/) {}
  template <class B, class... R>
  static void rest(out_t* y, const B* b, R... r) {
#pragma HLS INLINE
  FoldMore:
    for (unsigned i = 0; i < C::n_out; i++) {
#pragma HLS UNROLL
      y[i] = OP::template apply<out_t>(y[i], b[i]);
    }
    rest(y, r...);
  }
  template <class A0, class A1, class... R>
  static void apply(out_t* y, const A0* a, const A1* b, R... r) {
#pragma HLS INLINE
  FoldFirst:
    for (unsigned i = 0; i < C::n_out; i++) {
#pragma HLS UNROLL
      y[i] = OP::template apply<out_t>(a[i], b[i]);
    }
    rest(y, r...);
  }
};

template <class C>
struct add : fold_merge<C, add_op> {};
template <class C>
struct subtract : fold_merge<C, subtract_op> {};
template <class C>
struct multiply : fold_merge<C, multiply_op> {};
template <class C>
struct maximum : fold_merge<C, maximum_op> {};
template <class C>
struct minimum : fold_merge<C, minimum_op> {};

// The exact mean of n inputs, cast once to out_t. C::sum_t holds any sum exactly (its lsb is the
// finest input lsb). With f = C::frac_lsb (min(sum lsb, out lsb - 1)), q = floor(sum / n) on the
// grid 2^f; when the division leaves a remainder, (2q + 1) * 2^(f-1) lies strictly inside the
// same interval of 2^f as the true mean, and no point where out_t's rounding changes lies there
// (the emulator's argument, layers/common/merge.cc), so both round alike.
template <class C>
struct average {
  typedef C config;
  typedef typename C::out_t out_t;
  typedef typename C::sum_t sum_t;
  template <class... A>
  static void run(A... a) {
#pragma HLS INLINE
    output_first<average, sizeof...(A) - 1>::call(a...);
  }
  static void sum(sum_t& /*s*/, unsigned /*i*/) {}
  template <class X, class... R>
  static void sum(sum_t& s, unsigned i, const X* x, R... r) {
#pragma HLS INLINE
    s += x[i];
    sum(s, i, r...);
  }
  template <class... X>
  static void apply(out_t* y, X... x) {
#pragma HLS INLINE
    const unsigned n = sizeof...(X);
    // q_t: the sum's raw integer shifted onto the grid 2^f (C::extra = sum lsb - f >= 0).
    typedef ap_int<sum_t::width + C::extra + 1> q_t;
  Mean:
    for (unsigned i = 0; i < C::n_out; i++) {
#pragma HLS UNROLL
      sum_t s = 0;
      sum(s, i, x...);
      q_t v = to_raw(s);
      v <<= C::extra;
      const q_t count = n;
      q_t q = v / count;
      q_t r = v - q * count;
      if (r < 0) {  // C division truncates toward zero; floor it
        q -= 1;
        r += count;
      }
      if (r == 0) {
        ap_fixed<q_t::width, q_t::width + C::frac_lsb> exact;
        exact.range(q_t::width - 1, 0) = q;
        y[i] = exact;
      } else {
        ap_int<q_t::width + 1> odd = q;
        odd = (odd << 1) + 1;
        ap_fixed<q_t::width + 1, q_t::width + C::frac_lsb> sticky;
        sticky.range(q_t::width, 0) = odd;
        y[i] = sticky;
      }
    }
  }
};

// Concatenation along an axis: the output is C::outer blocks; block o holds block o of every
// input in order, input k's block being C::inner(k) values. Values are cast to out_t.
template <class C>
struct concatenate {
  typedef C config;
  typedef typename C::out_t out_t;
  template <class... A>
  static void run(A... a) {
#pragma HLS INLINE
    output_first<concatenate, sizeof...(A) - 1>::call(a...);
  }
  template <unsigned K>
  static void copy(out_t* /*y*/, unsigned /*offset*/) {}
  template <unsigned K, class X, class... R>
  static void copy(out_t* y, unsigned offset, const X* x, R... r) {
#pragma HLS INLINE
    const unsigned inner = C::inner(K);
  Outer:
    for (unsigned o = 0; o < C::outer; o++) {
#pragma HLS UNROLL
    Inner:
      for (unsigned i = 0; i < inner; i++) {
#pragma HLS UNROLL
        y[o * C::out_inner + offset + i] = x[o * inner + i];
      }
    }
    copy<K + 1>(y, offset + inner, r...);
  }
  template <class... X>
  static void apply(out_t* y, X... x) {
#pragma HLS INLINE
    copy<0>(y, 0, x...);
  }
};

// Dot product of two vectors (hls4ml's dot1d): every product cast to accum_t, summed from 0 in
// order with every sum cast to accum_t, the sum cast to out_t.
template <class C>
struct dot {
  typedef C config;
  static void run(const typename C::in_t* a, const typename C::in1_t* b, typename C::out_t* y) {
#pragma HLS INLINE
    typename C::accum_t acc = 0;
  Products:
    for (unsigned i = 0; i < C::n_in; i++) {
#pragma HLS UNROLL
      typename C::accum_t p = a[i] * b[i];
      acc = acc + p;
    }
    y[0] = acc;
  }
};

}  // namespace fnet

#endif  // FNET_MERGE_H_
