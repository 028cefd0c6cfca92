// transpose for the HLS backend: fnet::transpose (runtime/fnet_reshape.h, an fnet::axis_gather).
// Output axis k has out_dim(k) positions, starts at 0 and steps in_stride(k) = the input stride
// of axis perm[k].
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_transpose(const HlsLayerContext& ctx) {
  const ir::Node& node = *ctx.node;
  const ir::Shape& in = ctx.input->shape;
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> perm, node.GetInts("perm"));
  if (perm.size() != in.size()) return HlsUnsupported(node, "'perm' does not match its input");
  std::vector<int64_t> in_stride(in.size(), 1);
  for (size_t a = in.size() - 1; a-- > 0;) in_stride[a] = in_stride[a + 1] * in[a + 1];
  std::vector<int64_t> out_dim, stride;
  for (int64_t p : perm) {
    out_dim.push_back(in[p]);
    stride.push_back(in_stride[p]);
  }
  LayerEmission e;
  e.library_header = "fnet_reshape.h";
  e.library_struct = "fnet::transpose";
  e.config_members = {ConstMember("rank", static_cast<int64_t>(in.size())),
                      IndexFunctionMember("out_dim", out_dim),
                      IndexFunctionMember("start", std::vector<int64_t>(in.size(), 0)),
                      IndexFunctionMember("in_stride", stride)};
  return e;
}

}  // namespace firmnet::backend::hls
