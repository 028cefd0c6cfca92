// reshape: see docs/semantics.md.
#pragma once

#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kReshape> {
  static LayerSchema Schema() {
    // hls4ml's io_parallel reshape is in place (the input's variable and type), as is its
    // io_stream flatten.
    return {.config_aliases = {"Flatten"},
            .attrs = {{"target_shape", AttrType::kInts}},
            .result_is_input_type = true};
  }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(
      const ir::Node& node,
      const NodeInputs& inputs);  // `auto` rules (layers/common/auto_precision.h); other slots take
                                  // the default precision.
  static StatusOr<std::optional<FixedType>> InferPrecision(const ir::Node& node,
                                                           const NodeInputs& inputs,
                                                           std::string_view slot,
                                                           const PrecisionContext& ctx);
};

}  // namespace firmnet::layers
