// hls4ml's product with a power-of-two weight (QKeras quantized_po2 kernels, hls4ml's
// ExponentPrecisionType and nnet::product::weight_exponential; docs/semantics.md,
// "quantized_po2 weights"): with W the quantizer's bits and Wx the input type's width,
//   r_t = ap_fixed<2(W + Wx), W + Wx>;  t = (r_t)((r_t) x * |w|);  p = w < 0 ? (r_t)(-t) : t,
// then p is cast to the accumulator as any product. The shift truncates (toward minus infinity)
// and wraps in r_t, so a product can lose its low bits where an exact product would not.
// A layer opts in with the attribute "po2_weight_bits" (W); without it, products are exact.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "firmnet/common/status.h"
#include "firmnet/emu/kernel.h"
#include "firmnet/fixed/fixed_type.h"
#include "firmnet/ir/graph.h"
#include "firmnet/layers/common/raw.h"

namespace firmnet::layers::common {

// Whether hls4ml's precision inference can read the layer's weight type: not for a po2 kernel
// (ExponentPrecisionType) or a QKeras binary kernel (XnorPrecisionType), whose `auto` accum and
// result take the Model default instead (infer_precision.py, _all_supported_types).
inline bool WeightTypeInferable(const ir::Node& node) {
  if (node.GetIntOr("po2_weight_bits", 0) > 0) return false;
  auto q = node.attrs.find("weight_quantizer");
  return q == node.attrs.end() || !std::holds_alternative<std::string>(q->second) ||
         std::get<std::string>(q->second) != "xnor";
}

class Po2Product {
 public:
  // The node's po2 product for inputs of type `in` (nullopt: the layer multiplies exactly). An
  // r_t wider than 62 bits is an error naming the layer.
  static StatusOr<std::optional<Po2Product>> For(const ir::Node& node, const FixedType& in,
                                                 const FixedType& weight);
  // r_t's raw value of x * w (x a raw value of the input type, w a raw value of the weight
  // type, a power of two times +-1).
  template <typename R>
  R operator()(const R& x, const R& w, emu::LayerCounters& c) const {
    const R a = emu::CastTo(x, in_exp_, r_t_, c);
    const bool negative = IsNegative(w);
    const int e = BitLength(Abs(w)) - 1 + w_exp_;  // |w| = 2^e
    const R t = emu::CastTo(a, r_t_.lsb_exponent() + e, r_t_, c);
    return negative ? emu::CastTo(R(0) - t, r_t_.lsb_exponent(), r_t_, c) : t;
  }
  const FixedType& type() const { return r_t_; }

 private:
  FixedType r_t_;
  int in_exp_ = 0;
  int w_exp_ = 0;
};

}  // namespace firmnet::layers::common
