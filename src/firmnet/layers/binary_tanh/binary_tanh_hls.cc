// binary_tanh for the HLS backend: fnet::binary_tanh (runtime/fnet_elementwise.h).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_binary_tanh(const HlsLayerContext& ctx) {
  return ElementwiseEmission(*ctx.node, "fnet::binary_tanh");
}

}  // namespace firmnet::backend::hls
