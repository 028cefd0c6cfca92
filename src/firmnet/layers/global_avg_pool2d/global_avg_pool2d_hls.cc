// global_avg_pool2d for the HLS backend: fnet::pool_window / fnet::pool_global
// (runtime/fnet_pool.h); the emission is shared by the eight pools (layers/common/spatial_hls.cc).
#include "firmnet/layers/common/spatial_hls.h"
#include "firmnet/layers/global_avg_pool2d/global_avg_pool2d.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_global_avg_pool2d(const HlsLayerContext& ctx) {
  return EmitPoolHls(ctx, layers::LayerImpl<LayerKind::kGlobalAvgPool2D>::kPool);
}

}  // namespace firmnet::backend::hls
