#include "firmnet/layers/upsampling2d/upsampling2d.h"

namespace firmnet::layers {

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kUpSampling2D>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  return common::MakeAxisMapKernel<R>(kMap, node, inputs);
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kUpSampling2D);

}  // namespace firmnet::layers
