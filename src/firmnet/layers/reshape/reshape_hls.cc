// reshape (and flatten) for the HLS backend: the values keep their row-major order, so the
// layer is fnet::linear, a cast to the result type (runtime/fnet_elementwise.h).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_reshape(const HlsLayerContext& ctx) {
  return ElementwiseEmission(*ctx.node, "fnet::linear");
}

}  // namespace firmnet::backend::hls
