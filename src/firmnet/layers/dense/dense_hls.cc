// dense for the HLS backend: fnet::dense_latency / fnet::dense_resource (runtime/fnet_dense.h).
// Weights and biases are quantized here exactly as the emulator quantizes them (QuantizeWeight
// with the slot's type), and stored as raw integers.
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/common/po2_product.h"
#include "firmnet/layers/dense/dense_reuse.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_dense(const HlsLayerContext& ctx) {
  const ir::Node& node = *ctx.node;
  FIRMNET_RETURN_IF_ERROR(layers::CheckReuseFactor(node));
  const ir::Tensor* w = node.Weight("weight");
  const ir::Tensor* b = node.Weight("bias");
  if (w == nullptr || b == nullptr || w->shape.size() != 2) {
    return Internal(HlsLabel(node) + ": missing weight or bias");
  }
  const int64_t n_in = w->shape[0], n_out = w->shape[1];
  const FixedType& wt = node.Precision("weight");
  const FixedType& bt = node.Precision("bias");
  const int r = node.settings.reuse_factor;

  LayerEmission e;
  e.library_header = "fnet_dense.h";
  e.library_struct = node.settings.strategy == ir::Strategy::kResource ? "fnet::dense_resource"
                                                                       : "fnet::dense_latency";
  e.config_members.push_back(TypedefMember("weight_t", wt));
  e.config_members.push_back(TypedefMember("bias_t", bt));
  e.config_members.push_back(TypedefMember("accum_t", node.Precision("accum")));
  if (node.attrs.count("po2_weight_bits")) {
    if (ctx.input == nullptr) return Internal(HlsLabel(node) + ": no input");
    FIRMNET_ASSIGN_OR_RETURN(
        auto po2, layers::common::Po2Product::For(node, ctx.input->Precision("result"), wt));
    if (po2) e.config_members.push_back(TypedefMember("po2_product_t", po2->type()));
  }
  FIRMNET_ASSIGN_OR_RETURN(std::string wraw,
                           RawTypedefMember("weight_raw_t", wt, HlsLabel(node) + " weight"));
  FIRMNET_ASSIGN_OR_RETURN(std::string braw,
                           RawTypedefMember("bias_raw_t", bt, HlsLabel(node) + " bias"));
  e.config_members.push_back(wraw);
  e.config_members.push_back(braw);
  e.config_members.push_back(ConstMember("reuse_factor", r));
  e.config_members.push_back(ConstMember("n_mult", n_in * n_out / r));

  ConstArray wa{"w_" + ctx.ident, "weight_raw_t", wt, {}};
  wa.raw.reserve(w->data.size());
  for (double v : w->data) {
    wa.raw.push_back(QuantizeWeight(v, wt));
    if (!wa.raw.back().IsZero()) ++e.multipliers;
  }
  ConstArray ba{"b_" + ctx.ident, "bias_raw_t", bt, {}};
  for (double v : b->data) ba.raw.push_back(QuantizeWeight(v, bt));
  e.config_members.push_back(ConstMember("n_nonzero", e.multipliers));
  e.arrays.push_back(std::move(wa));
  e.arrays.push_back(std::move(ba));
  return e;
}

}  // namespace firmnet::backend::hls
