#include "firmnet/layers/zero_pad1d/zero_pad1d.h"

namespace firmnet::layers {

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kZeroPad1D>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  return common::MakeAxisMapKernel<R>(kMap, node, inputs);
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kZeroPad1D);

}  // namespace firmnet::layers
