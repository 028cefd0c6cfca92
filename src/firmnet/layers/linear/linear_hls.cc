// linear for the HLS backend: fnet::linear, a cast (runtime/fnet_elementwise.h).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_linear(const HlsLayerContext& ctx) {
  return ElementwiseEmission(*ctx.node, "fnet::linear");
}

}  // namespace firmnet::backend::hls
