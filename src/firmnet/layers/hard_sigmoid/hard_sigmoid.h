// HardSigmoid: y = cast_result(clip(alpha_q * x + beta_q, 0, 1)), alpha and beta quantized to
// the "param" slot, the arithmetic exact.
#pragma once

#include <memory>

#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kHardSigmoid> {
  static LayerSchema Schema() {
    return {.config_aliases = {"HardActivation", "Activation"},
            .slots = ResultAnd({{"param", false, kDefaultPrecision}}),
            .attrs = {{"alpha", AttrType::kDouble}, {"beta", AttrType::kDouble}},
            .has_products = true};  // x * alpha
  }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
};
static_assert(Layer<LayerImpl<LayerKind::kHardSigmoid>>);

}  // namespace firmnet::layers
