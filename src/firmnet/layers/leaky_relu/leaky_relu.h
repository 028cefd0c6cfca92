// LeakyReLU: y = cast_result(x > 0 ? x : alpha_q * x), with alpha quantized to the "param"
// slot and the product exact.
#pragma once

#include <memory>

#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kLeakyRelu> {
  static LayerSchema Schema() {
    return {.config_aliases = {"ParametrizedActivation", "Activation"},
            .slots = ResultAnd({{"param", false, kDefaultPrecision}}),
            .attrs = {{"alpha", AttrType::kDouble}},
            .has_products = true};  // x * alpha
  }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
};
static_assert(Layer<LayerImpl<LayerKind::kLeakyRelu>>);

}  // namespace firmnet::layers
