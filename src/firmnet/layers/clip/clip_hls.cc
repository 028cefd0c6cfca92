// clip for the HLS backend: fnet::clip (runtime/fnet_elementwise.h); its constants are quantized
// to the "param" slot by the same function the emulator uses (layers/common/elementwise.h).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_clip(const HlsLayerContext& ctx) {
  LayerEmission e;
  e.library_header = "fnet_elementwise.h";
  e.library_struct = "fnet::clip";
  RETURN_IF_ERROR(AddParamMember(*ctx.node, "min", "min_raw", e));
  RETURN_IF_ERROR(AddParamMember(*ctx.node, "max", "max_raw", e));
  return e;
}

}  // namespace firmnet::backend::hls
