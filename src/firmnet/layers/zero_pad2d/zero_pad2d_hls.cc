// zero_pad2d for the HLS backend: fnet::axis_map (runtime/fnet_reshape.h); zeros around the spatial
// axes: output position p reads p - begin.
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/common/spatial.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_zero_pad2d(const HlsLayerContext& ctx) {
  FIRMNET_ASSIGN_OR_RETURN(layers::common::Margins m,
                           layers::common::MarginsAttr(*ctx.node, "pads", 2));
  std::vector<AxisMapping> axes;
  for (int64_t b : m.begin) axes.push_back({1, -b});
  return AxisMapEmission(ctx, axes);
}

}  // namespace firmnet::backend::hls
