// hard_sigmoid for the HLS backend: fnet::hard_sigmoid (runtime/fnet_elementwise.h); its constants
// are quantized to the "param" slot by the same function the emulator uses
// (layers/common/elementwise.h).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_hard_sigmoid(const HlsLayerContext& ctx) {
  return ElementwiseEmission(*ctx.node, "fnet::hard_sigmoid", {"alpha", "beta"});
}

}  // namespace firmnet::backend::hls
