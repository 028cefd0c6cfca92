// The one generator of cast logic: a datapath value converted to a fixed-point type with that
// type's quantization (all 7 modes) and overflow (all 4 modes, and AP_WRAP's saturation bits)
// rules, exactly as fixed/fixed_value.cc's Cast() defines them (docs/semantics.md).
#pragma once

#include "firmnet/backend/verilog/datapath.h"
#include "firmnet/fixed/fixed_type.h"

namespace firmnet::verilog {

// `in` may be a value known only modulo 2^top (Datapath::Add's `top`) when `to` wraps with no
// saturation bits and to.lsb_exponent() + to.width <= top: then only the kept bits matter.
Signal EmitCast(Datapath& dp, const Signal& in, const FixedType& to);

// Whether a cast to `to` can be computed from the value modulo 2^top, for the caller's choice of
// `top` (plain AP_WRAP: everything above the type's top bit is discarded anyway).
inline bool CastWraps(const FixedType& to) {
  return to.overflow == Overflow::kWrap && to.sat_bits == 0;
}
inline int CastTop(const FixedType& to) { return to.lsb_exponent() + to.width; }

}  // namespace firmnet::verilog
