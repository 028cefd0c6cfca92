// sigmoid for the HLS backend: fnet::sigmoid (runtime/fnet_tables.h) with the emulator's own table
// (SigmoidTable) and index rule, so the C-simulation is bit-exact by construction and by test.
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/sigmoid/sigmoid.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_sigmoid(const HlsLayerContext& ctx) {
  FIRMNET_ASSIGN_OR_RETURN(layers::common::MagnitudeTable table,
                           layers::SigmoidTable(*ctx.node, {ctx.input}));
  return MagnitudeTableEmission(ctx, table, "fnet::sigmoid");
}

}  // namespace firmnet::backend::hls
