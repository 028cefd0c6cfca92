// leaky_relu for the HLS backend: fnet::leaky_relu (runtime/fnet_elementwise.h); its constants are
// quantized to the "param" slot by the same function the emulator uses
// (layers/common/elementwise.h).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_leaky_relu(const HlsLayerContext& ctx) {
  return ElementwiseEmission(*ctx.node, "fnet::leaky_relu", {"alpha"});
}

}  // namespace firmnet::backend::hls
