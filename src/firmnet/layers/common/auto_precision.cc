#include "firmnet/layers/common/auto_precision.h"

#include <algorithm>

namespace firmnet::layers::common {

int CeilLog2(int64_t n) {
  int k = 0;
  while ((int64_t{1} << k) < n && k < 62) ++k;
  return k;
}

InferredBits BitsOf(const FixedType& t) { return {t.width, t.int_bits, t.is_signed}; }

namespace {

using Shape = InferredBits;

// a + b as hls4ml's rules write it: one more integer bit than the wider operand after aligning
// signedness, and all fractional bits of both.
Shape AddShapes(const Shape& a, const Shape& b) {
  const int integer = std::max(a.integer + (b.is_signed && !a.is_signed ? 1 : 0),
                               b.integer + (a.is_signed && !b.is_signed ? 1 : 0)) +
                      1;
  const int frac = std::max(a.width - a.integer, b.width - b.integer);
  return {integer + frac, integer, a.is_signed || b.is_signed};
}

}  // namespace

StatusOr<FixedType> FinishInferred(InferredBits s, const PrecisionContext& ctx,
                                   const std::string& who) {
  if (ctx.max_precision) {
    s.width = std::min(s.width, ctx.max_precision->width);
    s.integer = std::min(s.integer, ctx.max_precision->int_bits);
  }
  if (s.width > FixedType::kMaxWidth) {
    return InvalidArgument(who + ": 'auto' needs " + std::to_string(s.width) +
                           " bits, more than the maximum of " +
                           std::to_string(FixedType::kMaxWidth) +
                           "; give an explicit type, or cap inferred types with "
                           "Model.Precision.maximum");
  }
  return MakeFixedType(s.width, s.integer, s.is_signed);
}

StatusOr<FixedType> ProductSumType(const FixedType& in, const FixedType& weight,
                                   const FixedType& bias, int64_t n_ops,
                                   const PrecisionContext& ctx, const std::string& who) {
  const int extra = CeilLog2(std::max<int64_t>(n_ops, 1));
  const Shape sum = {weight.width + in.width + extra, weight.int_bits + in.int_bits + extra,
                     weight.is_signed || in.is_signed};
  return FinishInferred(AddShapes(sum, BitsOf(bias)), ctx, who);
}

StatusOr<FixedType> ScaleBiasType(const FixedType& in, const FixedType& scale,
                                  const FixedType& bias, const PrecisionContext& ctx,
                                  const std::string& who) {
  const Shape product = {in.width + scale.width, in.int_bits + scale.int_bits,
                         in.is_signed || scale.is_signed};
  return FinishInferred(AddShapes(product, BitsOf(bias)), ctx, who);
}

}  // namespace firmnet::layers::common
