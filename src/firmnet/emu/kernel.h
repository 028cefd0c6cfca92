// Kernel: one layer's executable form inside the emulator.
//
// A layer builds three kernels from its IR node: two bit-exact ones that differ only in how raw
// fixed-point integers are held (int64_t for graphs whose types are all <= 31 bits wide, BigInt
// for anything else; both follow fixed/fixed_value.h exactly and tests check they agree), and a
// float64 reference kernel that computes the same layer in double precision on the float weights.
//
// Values travel between kernels as raw integers in the producing node's "result" type, one
// sample at a time, flattened row-major.
#pragma once

#include <cstdint>
#include <span>

#include "firmnet/fixed/fixed_value.h"

namespace firmnet::emu {

// Per-layer overflow counters: how many casts changed a value through the overflow rule.
struct LayerCounters {
  uint64_t wraps = 0;        // AP_WRAP took effect (the value wrapped around)
  uint64_t saturations = 0;  // AP_SAT / AP_SAT_ZERO / AP_SAT_SYM took effect
  void Record(OverflowEvent e) {
    wraps += e == OverflowEvent::kWrapped;
    saturations += e == OverflowEvent::kSaturated;
  }
};

template <typename R>
class Kernel {
 public:
  virtual ~Kernel() = default;
  // inputs[k] points at the k-th input tensor's raw values (in that producer's result type);
  // out receives this layer's raw values in its result type.
  virtual void Run(std::span<const R* const> inputs, R* out, LayerCounters& counters) const = 0;
};

class FloatKernel {
 public:
  virtual ~FloatKernel() = default;
  virtual void Run(std::span<const double* const> inputs, double* out) const = 0;
};

// The one cast helper kernels use, for either raw representation: the value
// src * 2^src_exponent cast to `to`, counting overflow events.
inline int64_t CastTo(int64_t src, int src_exponent, const FixedType& to, LayerCounters& c) {
  OverflowEvent e = OverflowEvent::kNone;
  const int64_t r = Cast64(src, src_exponent, to, &e);
  c.Record(e);
  return r;
}
inline BigInt CastTo(const BigInt& src, int src_exponent, const FixedType& to, LayerCounters& c) {
  OverflowEvent e = OverflowEvent::kNone;
  BigInt r = Cast(src, src_exponent, to, &e);
  c.Record(e);
  return r;
}
// A trained constant (weight, bias, batchnorm scale/bias) as the firmware holds it:
// QuantizeWeight (fixed/fixed_value.h), as either raw representation.
inline int64_t QuantizeWeightTo(double v, const FixedType& to, int64_t /*tag*/) {
  return QuantizeWeight(v, to).ToInt64();
}
inline BigInt QuantizeWeightTo(double v, const FixedType& to, const BigInt& /*tag*/) {
  return QuantizeWeight(v, to);
}
// A cast with a fixed source exponent and target type, precomputed for inner loops. The common
// case (AP_TRN, plain AP_WRAP, dropping 0..62 fractional bits) is a shift and a range check;
// everything else goes through Cast64. Same results as CastTo, counters included.
class Caster {
 public:
  Caster() = default;
  Caster(int src_exponent, const FixedType& to) : to_(to), src_exponent_(src_exponent) {
    const int shift = to.lsb_exponent() - src_exponent;
    simple_ = to.rounding == Rounding::kTrn && to.overflow == Overflow::kWrap && to.sat_bits == 0 &&
              shift >= 0 && shift <= 62 && to.width <= 62;
    shift_ = shift;
    if (!simple_) return;  // wider types (up to 128 bits) would overflow the shifts below
    lo_ = to.is_signed ? -(int64_t{1} << (to.width - 1)) : 0;
    span_ = (uint64_t{1} << to.width) - 1;  // 2^width values from lo_, signed or not
    wrap_shift_ = 64 - to.width;
  }
  int64_t operator()(int64_t v, LayerCounters& c) const {
    if (!simple_) return CastTo(v, src_exponent_, to_, c);
    const int64_t q = v >> shift_;
    if (static_cast<uint64_t>(q - lo_) <= span_) return q;
    ++c.wraps;
    const uint64_t low = static_cast<uint64_t>(q) << wrap_shift_;
    return to_.is_signed ? static_cast<int64_t>(low) >> wrap_shift_
                         : static_cast<int64_t>(low >> wrap_shift_);
  }
  BigInt operator()(const BigInt& v, LayerCounters& c) const {
    return CastTo(v, src_exponent_, to_, c);
  }
  const FixedType& to() const { return to_; }

 private:
  FixedType to_;
  int src_exponent_ = 0;
  bool simple_ = false;
  int shift_ = 0;
  int64_t lo_ = 0;
  uint64_t span_ = 0;
  int wrap_shift_ = 0;
};

// Raw integer conversions between the representations.
inline BigInt ToBig(int64_t v) { return BigInt(v); }
inline BigInt ToBig(const BigInt& v) { return v; }

}  // namespace firmnet::emu
