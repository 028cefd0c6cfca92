// hls4ml's precision inference for `auto` slots (its InferPrecisionTypes pass), the rules that
// several layers share. Every rule gives a type that holds the exact result, so an `auto` slot
// never rounds or overflows, unless Model.Precision.maximum caps it (as in hls4ml: the width and
// the integer bits are each capped, and the type keeps AP_TRN/AP_WRAP). docs/config.md, "auto".
#pragma once

#include <cstdint>
#include <string>

#include "firmnet/common/status.h"
#include "firmnet/fixed/fixed_type.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers::common {

// hls4ml's _infer_common_precision: `n_ops` exact products of an `in` and a `weight` value
// summed, plus a `bias` value (dense: n_ops = n_in; convolutions: the kernel's size).
//   W = Ww + Wx + ceil(log2 n_ops), I = Iw + Ix + ceil(log2 n_ops), F = W - I;
//   with the bias: I' = max(I + [bias signed, sum unsigned], Ib + [sum signed, bias unsigned]) + 1,
//   W' = I' + max(F, Fb), signed if any is.
// `who` names the layer and slot in errors (a width above 128 bits).
StatusOr<FixedType> ProductSumType(const FixedType& in, const FixedType& weight,
                                   const FixedType& bias, int64_t n_ops,
                                   const PrecisionContext& ctx, const std::string& who);

// hls4ml's _infer_bn_precision: x*scale + bias, exactly.
StatusOr<FixedType> ScaleBiasType(const FixedType& in, const FixedType& scale,
                                  const FixedType& bias, const PrecisionContext& ctx,
                                  const std::string& who);

}  // namespace firmnet::layers::common
