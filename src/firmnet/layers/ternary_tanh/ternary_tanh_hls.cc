// ternary_tanh for the HLS backend: fnet::ternary_tanh (runtime/fnet_elementwise.h).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_ternary_tanh(const HlsLayerContext& ctx) {
  return ElementwiseEmission(*ctx.node, "fnet::ternary_tanh");
}

}  // namespace firmnet::backend::hls
