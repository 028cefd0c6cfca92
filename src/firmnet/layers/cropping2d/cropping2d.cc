#include "firmnet/layers/cropping2d/cropping2d.h"

namespace firmnet::layers {

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kCropping2D>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  return common::MakeAxisMapKernel<R>(kMap, node, inputs);
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kCropping2D);

}  // namespace firmnet::layers
