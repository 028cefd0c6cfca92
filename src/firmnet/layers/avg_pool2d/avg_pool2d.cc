#include "firmnet/layers/avg_pool2d/avg_pool2d.h"

namespace firmnet::layers {

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kAvgPool2D>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  return common::MakePoolKernel<R>(kPool, node, inputs);
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kAvgPool2D);

}  // namespace firmnet::layers
