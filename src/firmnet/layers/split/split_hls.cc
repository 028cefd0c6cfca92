// split for the HLS backend: fnet::split (runtime/fnet_reshape.h), one call that writes every
// output port's array; io_stream reads the whole input first (the project's adapter).
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/split/split.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_split(const HlsLayerContext& ctx) {
  const ir::Node& node = *ctx.node;
  auto g = layers::LayerImpl<LayerKind::kSplit>::GetGeometry(node, ctx.input->shape);
  if (!g.ok()) return HlsUnsupported(node, g.status().message());
  std::vector<int64_t> start;
  int64_t at = 0;
  for (int64_t s : g->sizes) {
    start.push_back(at);
    at += s;
  }
  LayerEmission e;
  e.library_header = "fnet_reshape.h";
  e.library_struct = "fnet::split";
  e.config_members = {ConstMember("outer", g->outer),
                      ConstMember("extent", ctx.input->shape[g->axis]),
                      ConstMember("inner", g->inner), IndexFunctionMember("start", start),
                      IndexFunctionMember("size", g->sizes)};
  return e;
}

}  // namespace firmnet::backend::hls
