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
inline int64_t QuantizeTo(double v, const FixedType& to, LayerCounters& c, int64_t /*tag*/) {
  OverflowEvent e = OverflowEvent::kNone;
  const int64_t r = QuantizeDouble(v, to, &e).ToInt64();
  c.Record(e);
  return r;
}
inline BigInt QuantizeTo(double v, const FixedType& to, LayerCounters& c, const BigInt& /*tag*/) {
  OverflowEvent e = OverflowEvent::kNone;
  BigInt r = QuantizeDouble(v, to, &e);
  c.Record(e);
  return r;
}
// Raw integer conversions between the representations.
inline BigInt ToBig(int64_t v) { return BigInt(v); }
inline BigInt ToBig(const BigInt& v) { return v; }

}  // namespace firmnet::emu
