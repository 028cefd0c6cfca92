// GlobalMaxPooling2D: the largest value of each channel, [H, W, C] -> [C]. The arithmetic (hls4ml's
// io_parallel pooling, casts and all) is in layers/common/pooling.h and docs/semantics.md,
// "Pooling, padding, upsampling".
#pragma once

#include <memory>

#include "firmnet/layers/common/pooling.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kGlobalMaxPool2D> {
  static constexpr common::PoolKind kPool{2, common::PoolOp::kMax, /*global=*/true};
  static LayerSchema Schema() { return common::PoolSchema(kPool); }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs) {
    return common::PoolInferShape(kPool, node, inputs);
  }
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs) {
    return common::MakePoolFloatKernel(kPool, node, inputs);
  }
  static StatusOr<std::optional<FixedType>> InferPrecision(const ir::Node& node,
                                                           const NodeInputs& inputs,
                                                           std::string_view slot,
                                                           const PrecisionContext& /*ctx*/) {
    return common::PoolInferPrecision(kPool, node, inputs, slot);
  }
};

}  // namespace firmnet::layers
