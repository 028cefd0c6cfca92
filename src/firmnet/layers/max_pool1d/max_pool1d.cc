#include "firmnet/layers/max_pool1d/max_pool1d.h"

namespace firmnet::layers {

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kMaxPool1D>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  return common::MakePoolKernel<R>(kPool, node, inputs);
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kMaxPool1D);

}  // namespace firmnet::layers
