// relu for the HLS backend: fnet::relu (runtime/fnet_elementwise.h).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_relu(const HlsLayerContext& ctx) {
  return ElementwiseEmission(*ctx.node, "fnet::relu");
}

}  // namespace firmnet::backend::hls
