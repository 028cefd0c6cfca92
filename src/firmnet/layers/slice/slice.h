// slice (ONNX Slice with step 1, torch's x[:, a:b]): positions [starts[k], ends[k]) of every axis
// k, ends exclusive. Values move unchanged into the result type (by default the input's type, as
// hls4ml gives its moving layers). hls4ml has no slice layer; docs/semantics.md, "Split and
// slice".
#pragma once

#include <memory>

#include "firmnet/layers/common/spatial.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kSlice> {
  // `starts` and `ends` have one entry per axis of the input (the shape without the batch):
  // 0 <= starts[k] < ends[k] <= the axis' extent.
  static LayerSchema Schema() {
    return {.attrs = {{"starts", AttrType::kInts}, {"ends", AttrType::kInts}},
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
  // The checked starts and the output shape for an input of shape `in`.
  struct Window {
    std::vector<int64_t> starts;
    ir::Shape out;
  };
  static StatusOr<Window> GetWindow(const ir::Node& node, const ir::Shape& in);
};

}  // namespace firmnet::layers
