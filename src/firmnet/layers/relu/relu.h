// ReLU: y = cast_result(x > 0 ? x : 0), exactly as hls4ml computes it.
#pragma once

#include <memory>

#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kRelu> {
  static LayerSchema Schema() { return {.config_aliases = {"Activation"}}; }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  // hls4ml has no rule (the Model default), except in its bit-exact flow: the input's values
  // that are not negative, losslessly (the input type, unsigned).
  static StatusOr<std::optional<FixedType>> InferPrecision(const ir::Node& node,
                                                           const NodeInputs& inputs,
                                                           std::string_view slot,
                                                           const PrecisionContext& ctx);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
};
static_assert(Layer<LayerImpl<LayerKind::kRelu>>);

}  // namespace firmnet::layers
