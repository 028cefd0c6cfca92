// add: everything is in layers/common/merge.cc; this file instantiates the kernels.
#include "firmnet/layers/add/add.h"

namespace firmnet::layers {

FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kAdd);

}  // namespace firmnet::layers
