// minimum: everything is in layers/common/merge.cc; this file instantiates the kernels.
#include "firmnet/layers/minimum/minimum.h"

namespace firmnet::layers {

FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kMinimum);

}  // namespace firmnet::layers
