// elu for the HLS backend: fnet::elu (runtime/fnet_tables.h) with the emulator's own table
// (EluTable) and index rule, so the C-simulation is bit-exact by construction and by test.
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/elu/elu.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_elu(const HlsLayerContext& ctx) {
  FIRMNET_ASSIGN_OR_RETURN(layers::common::MagnitudeTable table,
                           layers::EluTable(*ctx.node, {ctx.input}));
  return MagnitudeTableEmission(ctx, table, "fnet::elu");
}

}  // namespace firmnet::backend::hls
