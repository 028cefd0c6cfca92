// dense: see docs/semantics.md.
#pragma once

#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kDense> {
  static LayerSchema Schema() {
    return {.slots = ResultAnd({{"weight", false, kDefaultPrecision},
                                {"bias", false, kDefaultPrecision},
                                {"accum", false, kDefaultPrecision}}),
            .weights = {{"weight", 2}, {"bias", 1}},
            .has_weights = true,
            .has_products = true,
            .check = &CheckWeights};
  }
  // The bias has one value per output column of the weight.
  static Status CheckWeights(const ir::Node& node) {
    const ir::Shape& w = node.Weight("weight")->shape;
    const ir::Shape& b = node.Weight("bias")->shape;
    if (b[0] == w[1]) return OkStatus();
    return InvalidArgument("bias shape " + ir::FormatShape(b) + " does not match weight shape " +
                           ir::FormatShape(w) + " (expected [" + std::to_string(w[1]) + "])");
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
