// subtract: everything is in layers/common/merge.cc; this file instantiates the kernels.
#include "firmnet/layers/subtract/subtract.h"

namespace firmnet::layers {

FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kSubtract);

}  // namespace firmnet::layers
