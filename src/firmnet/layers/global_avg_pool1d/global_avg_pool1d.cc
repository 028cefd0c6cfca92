#include "firmnet/layers/global_avg_pool1d/global_avg_pool1d.h"

namespace firmnet::layers {

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kGlobalAvgPool1D>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  return common::MakePoolKernel<R>(kPool, node, inputs);
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kGlobalAvgPool1D);

}  // namespace firmnet::layers
