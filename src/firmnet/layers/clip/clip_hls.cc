// clip for the HLS backend: fnet::clip (runtime/fnet_elementwise.h); its constants are quantized
// to the "param" slot by the same function the emulator uses (layers/common/elementwise.h).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_clip(const HlsLayerContext& ctx) {
  return ElementwiseEmission(*ctx.node, "fnet::clip", {"min", "max"});
}

}  // namespace firmnet::backend::hls
