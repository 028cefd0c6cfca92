// dot (Keras Dot of two vectors): y[0] = (result_t) acc, where acc = 0 and, for i in order,
// acc = (accum_t)(acc + (accum_t)(a_i * b_i)) (hls4ml's dot1d). Two 1-D inputs of one length;
// the output has shape [1]. docs/semantics.md, "Merges".
#pragma once

#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kDot> {
  static LayerSchema Schema() {
    return {.slots = ResultAnd({{"accum", false, kDefaultPrecision}}),
            .min_inputs = 2,
            .max_inputs = 2};
  }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
  // hls4ml's _infer_dot_precision, for "result" and (firmnet's choice; hls4ml infers only the
  // result) "accum": W = Wa + Wb + ceil(log2 n), I = Ia + Ib + ceil(log2 n), signed if either
  // input is, capped by maximum.
  static StatusOr<std::optional<FixedType>> InferPrecision(const ir::Node& node,
                                                           const NodeInputs& inputs,
                                                           std::string_view slot,
                                                           const PrecisionContext& ctx);
};

}  // namespace firmnet::layers
