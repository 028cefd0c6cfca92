// hard_sigmoid for the HLS backend: fnet::hard_sigmoid (runtime/fnet_elementwise.h); its constants
// are quantized to the "param" slot by the same function the emulator uses
// (layers/common/elementwise.h).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_hard_sigmoid(const HlsLayerContext& ctx) {
  LayerEmission e;
  e.library_header = "fnet_elementwise.h";
  e.library_struct = "fnet::hard_sigmoid";
  RETURN_IF_ERROR(AddParamMember(*ctx.node, "alpha", "alpha_raw", e));
  RETURN_IF_ERROR(AddParamMember(*ctx.node, "beta", "beta_raw", e));
  return e;
}

}  // namespace firmnet::backend::hls
