// tanh for the HLS backend: fnet::tanh (runtime/fnet_tables.h) with the emulator's own table
// (TanhTable) and index rule, so the C-simulation is bit-exact by construction and by test.
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/tanh/tanh.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_tanh(const HlsLayerContext& ctx) {
  FIRMNET_ASSIGN_OR_RETURN(layers::common::MagnitudeTable table,
                           layers::TanhTable(*ctx.node, {ctx.input}));
  return MagnitudeTableEmission(ctx, table, "fnet::tanh");
}

}  // namespace firmnet::backend::hls
