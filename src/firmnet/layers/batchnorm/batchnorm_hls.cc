// batchnorm for the HLS backend: fnet::batchnorm (runtime/fnet_elementwise.h).
#include "firmnet/backend/hls/hls_layer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_batchnorm(const HlsLayerContext& ctx) {
  const ir::Node& node = *ctx.node;
  const ir::Tensor* s = node.Weight("scale");
  const ir::Tensor* b = node.Weight("bias");
  if (s == nullptr || b == nullptr) return Internal(HlsLabel(node) + ": missing scale or bias");
  const FixedType& st = node.Precision("scale");
  const FixedType& bt = node.Precision("bias");
  LayerEmission e;
  e.library_header = "fnet_elementwise.h";
  e.library_struct = "fnet::batchnorm";
  e.config_members.push_back(TypedefMember("scale_t", st));
  e.config_members.push_back(TypedefMember("bias_t", bt));
  FIRMNET_ASSIGN_OR_RETURN(std::string sraw,
                           RawTypedefMember("scale_raw_t", st, HlsLabel(node) + " scale"));
  FIRMNET_ASSIGN_OR_RETURN(std::string braw,
                           RawTypedefMember("bias_raw_t", bt, HlsLabel(node) + " bias"));
  e.config_members.push_back(sraw);
  e.config_members.push_back(braw);
  // One scale per value, or per channel of a feature map (applied to every pixel).
  e.config_members.push_back(ConstMember("n_scale", static_cast<int64_t>(s->data.size())));
  // io_stream: a feature map with one scale per channel streams pixel by pixel; a flat vector
  // (one beat) or per-value scales take the adapter.
  e.native_stream = ctx.input != nullptr && ctx.input->shape.size() > 1 &&
                    static_cast<int64_t>(s->data.size()) == ctx.input->shape.back();
  ConstArray sa{"s_" + ctx.ident, "scale_raw_t", st, {}};
  for (double v : s->data) {
    sa.raw.push_back(QuantizeWeight(v, st));
    if (!sa.raw.back().IsZero()) ++e.multipliers;
  }
  ConstArray ba{"b_" + ctx.ident, "bias_raw_t", bt, {}};
  for (double v : b->data) ba.raw.push_back(QuantizeWeight(v, bt));
  e.arrays.push_back(std::move(sa));
  e.arrays.push_back(std::move(ba));
  return e;
}

}  // namespace firmnet::backend::hls
