// Clip (ReLU6 = clip(0, 6)): y = cast_result(min(max(x, min_q), max_q)), the bounds quantized to
// the "param" slot.
#pragma once

#include <memory>

#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kClip> {
  static LayerSchema Schema() {
    return {.config_aliases = {"HardActivation", "Activation"},
            .slots = ResultAnd({{"param", false, kDefaultPrecision}}),
            .attrs = {{"min", AttrType::kDouble}, {"max", AttrType::kDouble}},
            .check = &CheckAttrs};
  }
  // min <= max.
  static Status CheckAttrs(const ir::Node& node) {
    if (*node.GetDouble("min") <= *node.GetDouble("max")) return OkStatus();
    return InvalidArgument("attribute 'min' is greater than 'max'");
  }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
};
static_assert(Layer<LayerImpl<LayerKind::kClip>>);

}  // namespace firmnet::layers
