// concatenate for the HLS backend: fnet::concatenate (runtime/fnet_merge.h) along any axis. The
// output is `outer` blocks (the dimensions before the axis); block o holds block o of every input
// in order, input k's block being inner(k) values (its dimensions from the axis on).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_concatenate(const HlsLayerContext& ctx) {
  const ir::Node& node = *ctx.node;
  const auto rank = static_cast<int64_t>(node.shape.size());
  int64_t axis = node.GetIntOr("axis", -1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) return HlsUnsupported(node, "its axis is out of range");
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= node.shape[d];
  std::vector<int64_t> inner;
  int64_t out_inner = 0;
  for (size_t k = 0; k < node.inputs.size(); ++k) {
    inner.push_back(ir::NumElements(ctx.Input(k)->shape) / outer);
    out_inner += inner.back();
  }
  LayerEmission e;
  e.library_header = "fnet_merge.h";
  e.library_struct = "fnet::concatenate";
  e.config_members = {ConstMember("outer", outer), ConstMember("out_inner", out_inner),
                      IndexFunctionMember("inner", inner)};
  return e;
}

}  // namespace firmnet::backend::hls
