// elu for the HLS backend. hls4ml style: fnet::hls4ml_elu (fnet_hls4ml_tables.h) with hls4ml's
// table and alpha as a param_t constant; firmnet style: fnet::elu (runtime/fnet_tables.h) with
// the emulator's own table (EluTable) and index rule. Either way the C-simulation is bit-exact
// by construction and by test.
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/elu/elu.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_elu(const HlsLayerContext& ctx) {
  if (ctx.node->settings.table_style == ir::TableStyle::kHls4ml) {
    FIRMNET_ASSIGN_OR_RETURN(layers::common::Hls4mlNegativeTable table,
                             layers::EluHls4mlTable(*ctx.node, {ctx.input}));
    FIRMNET_ASSIGN_OR_RETURN(LayerEmission e,
                             Hls4mlNegativeTableEmission(ctx, table, "fnet::hls4ml_elu"));
    FIRMNET_RETURN_IF_ERROR(AddParamMember(*ctx.node, "alpha", "alpha_raw", e));
    return e;
  }
  FIRMNET_ASSIGN_OR_RETURN(layers::common::MagnitudeTable table,
                           layers::EluTable(*ctx.node, {ctx.input}));
  return MagnitudeTableEmission(ctx, table, "fnet::elu");
}

}  // namespace firmnet::backend::hls
