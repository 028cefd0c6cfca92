// selu for the HLS backend: gamma quantized to the "param" type as the emulator does; the
// negative side fnet::hls4ml_selu (fnet_hls4ml_tables.h) with hls4ml's table in the hls4ml style,
// fnet::selu (runtime/fnet_tables.h) with the emulator's own table (SeluTable) in firmnet's. The
// C-simulation is bit-exact by construction and by test.
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/selu/selu.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_selu(const HlsLayerContext& ctx) {
  LayerEmission e;
  if (ctx.node->settings.table_style == ir::TableStyle::kHls4ml) {
    FIRMNET_ASSIGN_OR_RETURN(layers::common::Hls4mlNegativeTable table,
                             layers::SeluHls4mlTable(*ctx.node, {ctx.input}));
    FIRMNET_ASSIGN_OR_RETURN(e, Hls4mlNegativeTableEmission(ctx, table, "fnet::hls4ml_selu"));
  } else {
    FIRMNET_ASSIGN_OR_RETURN(layers::common::MagnitudeTable table,
                             layers::SeluTable(*ctx.node, {ctx.input}));
    FIRMNET_ASSIGN_OR_RETURN(e, MagnitudeTableEmission(ctx, table, "fnet::selu"));
  }
  FIRMNET_RETURN_IF_ERROR(AddParamMember(*ctx.node, "gamma", "gamma_raw", e));
  return e;
}

}  // namespace firmnet::backend::hls
