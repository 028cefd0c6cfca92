// multiply: everything is in layers/common/merge.cc; this file instantiates the kernels.
#include "firmnet/layers/multiply/multiply.h"

namespace firmnet::layers {

FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kMultiply);

}  // namespace firmnet::layers
