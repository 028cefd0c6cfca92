// ternary_tanh (Keras `ternary_tanh`, hls4ml's nnet::ternary_tanh): d = (input type)(2 * x), then
// y = cast_result(d > 1 ? 1 : d > -1 ? 0 : -1): thresholds at +-0.5, with the doubling cast to
// the input type first (its overflow mode applies), as hls4ml computes it.
#pragma once

#include <memory>

#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kTernaryTanh> {
  static LayerSchema Schema() { return {.config_aliases = {"Activation"}}; }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
};
static_assert(Layer<LayerImpl<LayerKind::kTernaryTanh>>);

}  // namespace firmnet::layers
