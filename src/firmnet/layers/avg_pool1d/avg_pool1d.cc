#include "firmnet/layers/avg_pool1d/avg_pool1d.h"

namespace firmnet::layers {

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kAvgPool1D>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  return common::MakePoolKernel<R>(kPool, node, inputs);
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kAvgPool1D);

}  // namespace firmnet::layers
