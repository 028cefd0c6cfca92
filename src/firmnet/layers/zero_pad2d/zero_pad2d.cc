#include "firmnet/layers/zero_pad2d/zero_pad2d.h"

namespace firmnet::layers {

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kZeroPad2D>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  return common::MakeAxisMapKernel<R>(kMap, node, inputs);
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kZeroPad2D);

}  // namespace firmnet::layers
