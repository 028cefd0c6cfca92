// upsampling2d for the HLS backend: fnet::axis_map (runtime/fnet_reshape.h); nearest neighbour:
// output position p reads input p / size.
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/common/spatial.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_upsampling2d(const HlsLayerContext& ctx) {
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> size,
                           layers::common::IntsAttr(*ctx.node, "size", 2));
  std::vector<AxisMapping> axes;
  for (int64_t f : size) axes.push_back({f, 0});
  return AxisMapEmission(ctx, axes);
}

}  // namespace firmnet::backend::hls
