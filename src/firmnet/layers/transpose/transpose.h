// Transpose (hls4ml's Transpose, Keras Permute, ONNX Transpose without the batch axis): attr
// `perm`, a permutation of the input's axes with numpy's meaning, out.shape[i] = in.shape[perm[i]].
// Values are moved and cast to the result type (hls4ml: the input's type, so no change), as in
// hls4ml's nnet::transpose (docs/semantics.md, "Pooling, padding, upsampling").
#pragma once

#include <memory>

#include "firmnet/layers/common/spatial.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kTranspose> {
  // hls4ml: the output has the input's type.
  static LayerSchema Schema() {
    return {.attrs = {{"perm", AttrType::kInts}}, .result_is_input_type = true};
  }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
  // hls4ml: the output has the input's type.
  static StatusOr<std::optional<FixedType>> InferPrecision(const ir::Node& /*node*/,
                                                           const NodeInputs& inputs,
                                                           std::string_view slot,
                                                           const PrecisionContext& /*ctx*/) {
    return common::InputTypeForResult(inputs, slot);
  }
};

}  // namespace firmnet::layers
