#include "firmnet/layers/conv2d/conv2d.h"

#include "firmnet/layers/common/conv.h"

namespace firmnet::layers {

using Impl = LayerImpl<LayerKind::kConv2D>;

Status Impl::InferShape(ir::Node& node, const NodeInputs& inputs) {
  return common::InferConvShape(node, inputs);
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> Impl::MakeKernel(const ir::Node& node,
                                                           const NodeInputs& inputs) {
  return common::MakeConvKernel<R>(node, inputs);
}

StatusOr<std::unique_ptr<emu::FloatKernel>> Impl::MakeFloatKernel(const ir::Node& node,
                                                                  const NodeInputs& inputs) {
  return common::MakeConvFloatKernel(node, inputs);
}

StatusOr<std::optional<FixedType>> Impl::InferPrecision(const ir::Node& node,
                                                        const NodeInputs& inputs,
                                                        std::string_view slot,
                                                        const PrecisionContext& ctx) {
  return common::InferConvPrecision(node, inputs, slot, ctx);
}

FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kConv2D);

}  // namespace firmnet::layers
