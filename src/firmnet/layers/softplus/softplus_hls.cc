// softplus for the HLS backend: fnet::softplus (runtime/fnet_tables.h) with the emulator's own
// table (SoftplusTable) and index rule, so the C-simulation is bit-exact by construction and by
// test.
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/softplus/softplus.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_softplus(const HlsLayerContext& ctx) {
  if (ctx.node->settings.table_style == ir::TableStyle::kHls4ml) {
    FIRMNET_ASSIGN_OR_RETURN(layers::common::Hls4mlRangeTable table,
                             layers::SoftplusHls4mlTable(*ctx.node, {ctx.input}));
    return Hls4mlRangeTableEmission(ctx, table);
  }
  FIRMNET_ASSIGN_OR_RETURN(layers::common::MagnitudeTable table,
                           layers::SoftplusTable(*ctx.node, {ctx.input}));
  return MagnitudeTableEmission(ctx, table, "fnet::softplus");
}

}  // namespace firmnet::backend::hls
