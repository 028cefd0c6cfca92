// tanh for the HLS backend. hls4ml style: fnet::hls4ml_range_table (fnet_hls4ml_tables.h)
// with hls4ml's table; firmnet style: fnet::tanh (runtime/fnet_tables.h) with the emulator's own
// table (TanhTable) and index rule, so the C-simulation is bit-exact by construction and by test.
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/tanh/tanh.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_tanh(const HlsLayerContext& ctx) {
  if (ctx.node->settings.table_style == ir::TableStyle::kHls4ml) {
    FIRMNET_ASSIGN_OR_RETURN(layers::common::Hls4mlRangeTable table,
                             layers::TanhHls4mlTable(*ctx.node, {ctx.input}));
    return Hls4mlRangeTableEmission(ctx, table);
  }
  FIRMNET_ASSIGN_OR_RETURN(layers::common::MagnitudeTable table,
                           layers::TanhTable(*ctx.node, {ctx.input}));
  return MagnitudeTableEmission(ctx, table, "fnet::tanh");
}

}  // namespace firmnet::backend::hls
