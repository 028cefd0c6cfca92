// dot for the HLS backend: fnet::dot (runtime/fnet_merge.h), hls4ml's dot1d: products and sums
// cast to the "accum" type, the sum cast to the result type.
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_dot(const HlsLayerContext& ctx) {
  LayerEmission e;
  e.library_header = "fnet_merge.h";
  e.library_struct = "fnet::dot";
  e.config_members = {TypedefMember("accum_t", ctx.node->Precision("accum"))};
  return e;
}

}  // namespace firmnet::backend::hls
