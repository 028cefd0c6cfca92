// selu for the HLS backend: fnet::selu (runtime/fnet_tables.h) with the emulator's own table
// (SeluTable) and index rule, and gamma quantized to the "param" type as the emulator does, so the
// C-simulation is bit-exact by construction and by test.
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/selu/selu.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_selu(const HlsLayerContext& ctx) {
  FIRMNET_ASSIGN_OR_RETURN(layers::common::MagnitudeTable table,
                           layers::SeluTable(*ctx.node, {ctx.input}));
  FIRMNET_ASSIGN_OR_RETURN(LayerEmission e, MagnitudeTableEmission(ctx, table, "fnet::selu"));
  FIRMNET_RETURN_IF_ERROR(AddParamMember(*ctx.node, "gamma", "gamma_raw", e));
  return e;
}

}  // namespace firmnet::backend::hls
