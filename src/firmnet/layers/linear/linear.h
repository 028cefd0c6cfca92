// The linear activation: y = cast_result(x). Keras 'linear' and any no-op activation.
#pragma once

#include <memory>

#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kLinear> {
  static LayerSchema Schema() {
    // "quant": a quantizer cast, whose result type is the model's (no config key changes it)
    // and which merge_linear_activation may fold into the layer before it: 1 a QONNX Quant,
    // 2 an HGQ FixedPointQuantizer with one type for every element (which turns on hls4ml's
    // bit-exact flow, as its fixed_point_quantizer layers do).
    return {.config_aliases = {"Activation"},
            .attrs = {{"quant", AttrType::kInt, /*optional=*/true}}};
  }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
};
static_assert(Layer<LayerImpl<LayerKind::kLinear>>);

}  // namespace firmnet::layers
