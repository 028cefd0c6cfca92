// reshape (and flatten) for the HLS backend: the values keep their row-major order, so the
// layer is fnet::linear, a cast to the result type (runtime/fnet_elementwise.h).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_reshape(const HlsLayerContext&) {
  LayerEmission e;
  e.library_header = "fnet_elementwise.h";
  e.library_struct = "fnet::linear";
  return e;
}

}  // namespace firmnet::backend::hls
