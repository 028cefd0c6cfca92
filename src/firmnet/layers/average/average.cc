// average: everything is in layers/common/merge.cc; this file instantiates the kernels.
#include "firmnet/layers/average/average.h"

namespace firmnet::layers {

FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kAverage);

}  // namespace firmnet::layers
