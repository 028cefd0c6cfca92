// split (ONNX Split): the input cut along `axis` into consecutive slices of `sizes[k]`
// positions, slice k on output port k. A multi-output layer (ir/graph.h): port 0 is node.shape,
// ports 1.. are node.extra_outputs. Values move unchanged into the result type (by default the
// input's type, as hls4ml gives its moving layers). hls4ml has no split layer; docs/semantics.md,
// "Merges".
#pragma once

#include <memory>

#include "firmnet/layers/common/spatial.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kSplit> {
  // `axis` indexes the shape without the batch (negative from the end; absent: -1, the
  // channels); `sizes` has one positive entry per output port and sums to the input's extent on
  // the axis.
  static LayerSchema Schema() {
    return {.attrs = {{.key = "axis", .type = AttrType::kInt, .optional = true},
                      {.key = "sizes", .type = AttrType::kInts}},
            .multi_output = true,
            .result_is_input_type = true};
  }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
  static StatusOr<std::optional<FixedType>> InferPrecision(const ir::Node& /*node*/,
                                                           const NodeInputs& inputs,
                                                           std::string_view slot,
                                                           const PrecisionContext& /*ctx*/) {
    return common::InputTypeForResult(inputs, slot);
  }
  // The checked axis (an index into the input's shape) and sizes.
  struct Geometry {
    size_t axis = 0;
    std::vector<int64_t> sizes;
    int64_t outer = 1;  // product of the dimensions before the axis
    int64_t inner = 1;  // product of the dimensions after it
  };
  static StatusOr<Geometry> GetGeometry(const ir::Node& node, const ir::Shape& in);
};

}  // namespace firmnet::layers
