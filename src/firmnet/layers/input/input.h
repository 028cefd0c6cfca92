// input: the model's input tensor. The emulator quantizes the float input samples to this
// layer's result type (with that type's Q/O); the kernel itself is the identity.
#pragma once

#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kInput> {
  static LayerSchema Schema() {
    return {.config_aliases = {"InputLayer"}, .min_inputs = 0, .max_inputs = 0};
  }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
};

}  // namespace firmnet::layers
