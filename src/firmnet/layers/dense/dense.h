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
            // "binary" or "ternary": the weights came from Keras' BinaryDense/TernaryDense
            // (-1/+1 or -1/0/+1), which the quantize_dense_output pass looks for; "xnor": a
            // QKeras binary kernel (hls4ml's XNOR type: no precision inference).
            // "po2_weight_bits": W of QKeras' quantized_po2 kernel; products follow hls4ml's
            // shift (layers/common/po2_product.h).
            .attrs = {{"weight_quantizer", AttrType::kString, true},
                      {"po2_weight_bits", AttrType::kInt, true}},
            .weights = {{"weight", 2}, {"bias", 1}},
            .has_weights = true,
            .has_products = true,
            .check = &CheckWeights};
  }
  // The bias has one value per output column of the weight.
  static Status CheckWeights(const ir::Node& node) {
    if (auto q = node.attrs.find("weight_quantizer"); q != node.attrs.end()) {
      const auto* name = std::get_if<std::string>(&q->second);
      if (name == nullptr || (*name != "binary" && *name != "ternary" && *name != "xnor")) {
        return InvalidArgument(
            "attribute 'weight_quantizer' must be \"binary\", \"ternary\" or \"xnor\"");
      }
    }
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
