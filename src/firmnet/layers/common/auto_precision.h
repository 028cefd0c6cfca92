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

// An inferred type's bits before Model.Precision.maximum caps them (they may exceed 128 bits).
struct InferredBits {
  int width;
  int integer;
  bool is_signed;
};
InferredBits BitsOf(const FixedType& t);

// The type hls4ml makes of inferred bits: width and integer bits each capped by
// Model.Precision.maximum when it is set, AP_TRN/AP_WRAP. A width above 128 bits (after the cap)
// is an error naming `who`.
StatusOr<FixedType> FinishInferred(InferredBits bits, const PrecisionContext& ctx,
                                   const std::string& who);

// ceil(log2(n)) for n >= 1, exactly (hls4ml: math.ceil(np.log2(n))).
int CeilLog2(int64_t n);

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
