// maximum: everything is in layers/common/merge.cc; this file instantiates the kernels.
#include "firmnet/layers/maximum/maximum.h"

namespace firmnet::layers {

FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kMaximum);

}  // namespace firmnet::layers
