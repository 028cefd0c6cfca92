#include "firmnet/layers/upsampling1d/upsampling1d.h"

namespace firmnet::layers {

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kUpSampling1D>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  return common::MakeAxisMapKernel<R>(kMap, node, inputs);
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kUpSampling1D);

}  // namespace firmnet::layers
