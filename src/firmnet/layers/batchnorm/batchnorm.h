// batchnorm: see docs/semantics.md.
#pragma once

#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kBatchNorm> {
  static LayerSchema Schema() {
    return {.slots = ResultAnd(
                {{"scale", false, kDefaultPrecision}, {"bias", false, kDefaultPrecision}}),
            .weights = {{"scale", 1}, {"bias", 1}},
            .has_products = true,
            .check = &CheckWeights};
  }
  // Scale and bias have the same shape.
  static Status CheckWeights(const ir::Node& node) {
    const ir::Shape& s = node.Weight("scale")->shape;
    const ir::Shape& b = node.Weight("bias")->shape;
    if (s == b) return OkStatus();
    return InvalidArgument("bias shape " + ir::FormatShape(b) + " does not match scale shape " +
                           ir::FormatShape(s));
  }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(
      const ir::Node& node,
      const NodeInputs& inputs);  // `auto` rules (layers/common/auto_precision.h); other slots take
                                  // the default precision.
  static StatusOr<std::optional<FixedType>> InferPrecision(const ir::Node& node,
                                                           const NodeInputs& inputs,
                                                           std::string_view slot,
                                                           const PrecisionContext& ctx);
};

}  // namespace firmnet::layers
