// slice for the HLS backend: fnet::slice (runtime/fnet_reshape.h). Output axis k has out_dim(k)
// positions, starts at start(k) of the input and steps in_stride(k) input elements.
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/slice/slice.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_slice(const HlsLayerContext& ctx) {
  const ir::Node& node = *ctx.node;
  const ir::Shape& in = ctx.input->shape;
  auto w = layers::LayerImpl<LayerKind::kSlice>::GetWindow(node, in);
  if (!w.ok()) return HlsUnsupported(node, w.status().message());
  std::vector<int64_t> stride(in.size(), 1);
  for (size_t a = in.size() - 1; a-- > 0;) stride[a] = stride[a + 1] * in[a + 1];
  LayerEmission e;
  e.library_header = "fnet_reshape.h";
  e.library_struct = "fnet::slice";
  e.config_members = {
      ConstMember("rank", static_cast<int64_t>(in.size())), IndexFunctionMember("out_dim", w->out),
      IndexFunctionMember("start", w->starts), IndexFunctionMember("in_stride", stride)};
  return e;
}

}  // namespace firmnet::backend::hls
