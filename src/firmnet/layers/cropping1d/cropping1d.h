// Cropping1D: drops positions at both ends of the length axis.
// Values are moved and cast to the result type, nothing else (layers/common/axis_map.h,
// docs/semantics.md, "Pooling, padding, upsampling").
#pragma once

#include <memory>

#include "firmnet/layers/common/axis_map.h"
#include "firmnet/layers/common/spatial.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kCropping1D> {
  static constexpr common::AxisMapKind kMap{1, common::AxisMapOp::kCrop};
  static LayerSchema Schema() { return common::AxisMapSchema(kMap); }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs) {
    return common::AxisMapInferShape(kMap, node, inputs);
  }
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs) {
    return common::MakeAxisMapFloatKernel(kMap, node, inputs);
  }
  // hls4ml: the output has the input's type.
  static StatusOr<std::optional<FixedType>> InferPrecision(const ir::Node& /*node*/,
                                                           const NodeInputs& inputs,
                                                           std::string_view slot,
                                                           const PrecisionContext& /*ctx*/) {
    return common::InputTypeForResult(inputs, slot);
  }
};

}  // namespace firmnet::layers
