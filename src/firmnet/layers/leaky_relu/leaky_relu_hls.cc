// leaky_relu for the HLS backend: fnet::leaky_relu (runtime/fnet_elementwise.h); its constants are
// quantized to the "param" slot by the same function the emulator uses
// (layers/common/elementwise.h).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_leaky_relu(const HlsLayerContext& ctx) {
  LayerEmission e;
  e.library_header = "fnet_elementwise.h";
  e.library_struct = "fnet::leaky_relu";
  RETURN_IF_ERROR(AddParamMember(*ctx.node, "alpha", "alpha_raw", e));
  return e;
}

}  // namespace firmnet::backend::hls
