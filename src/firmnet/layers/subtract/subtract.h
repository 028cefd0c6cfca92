// subtract (Keras Subtract): y = (result_t)(x0 - x1); exactly two inputs. Inputs of one shape, no
// broadcasting. The shared code and the rules: layers/common/merge.h, docs/semantics.md ("Merges").
#pragma once

#include "firmnet/layers/common/merge.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kSubtract> {
  static constexpr common::MergeOp kOp = common::MergeOp::kSubtract;
  static LayerSchema Schema() { return common::ElementwiseMergeSchema(kOp); }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs) {
    return common::InferElementwiseMergeShape(node, inputs);
  }
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs) {
    return common::MakeElementwiseMergeKernel<R>(kOp, node, inputs);
  }
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs) {
    return common::MakeElementwiseMergeFloatKernel(kOp, node, inputs);
  }
  // hls4ml's _infer_merge_precision (layers/common/merge.h).
  static StatusOr<std::optional<FixedType>> InferPrecision(const ir::Node& node,
                                                           const NodeInputs& inputs,
                                                           std::string_view slot,
                                                           const PrecisionContext& ctx) {
    return common::InferElementwiseMergePrecision(kOp, node, inputs, slot, ctx);
  }
};

}  // namespace firmnet::layers
