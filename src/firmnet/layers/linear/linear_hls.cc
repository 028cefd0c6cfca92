// linear for the HLS backend: fnet::linear, a cast (runtime/fnet_elementwise.h).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_linear(const HlsLayerContext&) {
  LayerEmission e;
  e.library_header = "fnet_elementwise.h";
  e.library_struct = "fnet::linear";
  return e;
}

}  // namespace firmnet::backend::hls
