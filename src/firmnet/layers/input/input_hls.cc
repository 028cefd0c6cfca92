// input for the HLS backend: the top function's input port; no library code.
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_input(const HlsLayerContext&) { return LayerEmission{}; }

}  // namespace firmnet::backend::hls
