// conv2d: hls4ml's Conv2D, channels-last (layers/common/conv.h has the conventions and the
// arithmetic, shared by the four convolutions; docs/semantics.md, "Convolutions").
#pragma once

#include "firmnet/layers/common/conv_geometry.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kConv2D> {
  static LayerSchema Schema() { return common::ConvSchema(2); }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
  // `auto` accum and result: hls4ml's rule with n_ops = the products per output.
  static StatusOr<std::optional<FixedType>> InferPrecision(const ir::Node& node,
                                                           const NodeInputs& inputs,
                                                           std::string_view slot,
                                                           const PrecisionContext& ctx);
};

}  // namespace firmnet::layers
