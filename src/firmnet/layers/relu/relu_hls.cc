// relu for the HLS backend: fnet::relu (runtime/fnet_elementwise.h).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_relu(const HlsLayerContext&) {
  LayerEmission e;
  e.library_header = "fnet_elementwise.h";
  e.library_struct = "fnet::relu";
  return e;
}

}  // namespace firmnet::backend::hls
