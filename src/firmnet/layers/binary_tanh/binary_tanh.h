// binary_tanh (Keras/QKeras `binary_tanh`, hls4ml's nnet::binary_tanh): y = cast_result(x >= 0 ?
// 1 : -1). firmnet holds a binary value as its signed value -1/+1 (hls4ml's 1-bit XNOR encoding
// holds the same numbers: docs/semantics.md, "Binary and ternary networks"). With the attribute
// xnor=1 the layer writes that encoding itself, 1 for +1 and 0 for -1 in an ap_uint<1>: what
// hls4ml's model outputs when a graph ends in a QONNX BipolarQuant.
#pragma once

#include <memory>

#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kBinaryTanh> {
  static LayerSchema Schema() {
    return {.config_aliases = {"Activation"},
            .attrs = {{"xnor", AttrType::kInt, /*optional=*/true}}};
  }
  // The value written for a negative input: -1, or 0 under xnor=1.
  static int Low(const ir::Node& node);
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
};
static_assert(Layer<LayerImpl<LayerKind::kBinaryTanh>>);

}  // namespace firmnet::layers
