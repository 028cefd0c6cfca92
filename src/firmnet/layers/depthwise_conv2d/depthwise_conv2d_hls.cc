// depthwise_conv2d for the HLS backend: fnet::conv_latency / fnet::conv_resource
// (runtime/fnet_conv.h); the emission is shared by the four convolutions
// (layers/common/spatial_hls.cc).
#include "firmnet/layers/common/spatial_hls.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_depthwise_conv2d(const HlsLayerContext& ctx) {
  return EmitConvHls(ctx);
}

}  // namespace firmnet::backend::hls
