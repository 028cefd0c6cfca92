#include "firmnet/layers/max_pool2d/max_pool2d.h"

namespace firmnet::layers {

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kMaxPool2D>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  return common::MakePoolKernel<R>(kPool, node, inputs);
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kMaxPool2D);

}  // namespace firmnet::layers
