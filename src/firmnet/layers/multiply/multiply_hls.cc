// multiply for the HLS backend: fnet::multiply (runtime/fnet_merge.h), a left-to-right fold over
// the inputs with every intermediate in the result type, as the emulator computes it.
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_multiply(const HlsLayerContext& ctx) {
  return FoldMergeEmission(ctx, "fnet::multiply");
}

}  // namespace firmnet::backend::hls
