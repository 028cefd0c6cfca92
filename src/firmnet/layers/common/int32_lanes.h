// The casts of the int32 fast path that dense and the convolutions share (their int64_t kernels
// accumulate in eight int32 lanes when the types allow it; see dense.cc and conv.cc for the
// conditions, which differ with how each bounds its products).
//
// Both kernels keep the accumulator as the unsigned offset from its lowest value, so that an
// AP_WRAP accumulator wraps with one unsigned mask, and cast the sum to the result type either
// per value (Cast64) or, for the common AP_TRN/AP_WRAP result on a grid no finer than the
// accumulator's, as a whole-block vector shift and range check.
#pragma once

#include <algorithm>
#include <climits>
#include <cstdint>

#include "firmnet/fixed/fixed_type.h"

namespace firmnet::layers::common {

struct Int32Casts {
  int64_t acc_lo = 0;       // the accumulator's lowest raw value
  uint32_t acc_span = 0;    // its highest minus its lowest
  bool vector_out = false;  // the result cast fits the whole-block vector form
  int out_shift = 0;        // result lsb exponent minus the accumulator's
  int32_t out_lo = 0;       // the result's lowest raw value
  uint32_t out_span = 0;    // its highest minus its lowest
};

// The plan for an accumulator of at most 30 bits (the callers check that).
inline Int32Casts PlanInt32Casts(const FixedType& accum_t, const FixedType& result_t) {
  Int32Casts c;
  const int rshift = result_t.lsb_exponent() - accum_t.lsb_exponent();
  if (result_t.rounding == Rounding::kTrn && result_t.overflow == Overflow::kWrap &&
      result_t.sat_bits == 0 && rshift >= 0 && rshift <= 30 && result_t.width <= 30) {
    c.vector_out = true;
    c.out_shift = rshift;
    c.out_lo = result_t.is_signed ? -(int32_t{1} << (result_t.width - 1)) : 0;
    c.out_span = (uint32_t{1} << result_t.width) - 1;
  }
  c.acc_lo = accum_t.is_signed ? -(int64_t{1} << (accum_t.width - 1)) : 0;
  c.acc_span = static_cast<uint32_t>((int64_t{1} << accum_t.width) - 1);
  return c;
}

// The largest input magnitude |x| whose products with every weight of magnitude at most w_max,
// shifted right by `shift` onto the accumulator's grid, cannot wrap it: floor(|x w| / 2^shift)
// + 1 stays inside the accumulator's range for either sign of product. Then the kernel skips the
// per-product check for that input. Unsigned accumulators wrap every negative product, so only
// inputs whose weights are all zero are safe there (-1: none is).
inline int32_t SafeInputMagnitude(int64_t w_max, const Int32Casts& c, int shift) {
  const int64_t acc_hi = c.acc_lo + static_cast<int64_t>(c.acc_span);
  const int64_t limit = std::min(acc_hi - 1, -c.acc_lo - 1);  // |product| <= limit is safe
  if (w_max == 0) return INT32_MAX;
  if (limit < 0) return -1;
  // |x| * w_max < (limit + 1) * 2^shift  =>  floor(|x w| / 2^shift) <= limit.
  const int64_t x_max = (((limit + 1) << shift) - 1) / w_max;
  return static_cast<int32_t>(std::min<int64_t>(x_max, INT32_MAX));
}

}  // namespace firmnet::layers::common
