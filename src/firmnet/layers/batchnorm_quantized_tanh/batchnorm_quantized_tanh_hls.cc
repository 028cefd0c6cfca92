// batchnorm_quantized_tanh for the HLS backend: fnet::threshold2 (member `low`: -1, or 0 in the
// XNOR encoding) / fnet::threshold3 (runtime/fnet_elementwise.h); the thresholds are raw values
// of the input type, converted by the same function the emulator uses.
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/batchnorm_quantized_tanh/batchnorm_quantized_tanh.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_batchnorm_quantized_tanh(const HlsLayerContext& ctx) {
  const ir::Node& node = *ctx.node;
  if (ctx.input == nullptr) return Internal(HlsLabel(node) + ": no input");
  const FixedType& in = ctx.input->Precision("result");
  const bool binary = node.GetIntOr("levels", 0) == 2;
  std::vector<std::pair<std::string, const ir::Tensor*>> ts;
  if (binary) {
    ts = {{"t_", node.Weight("threshold")}};
  } else {
    ts = {{"th_", node.Weight("threshold_hi")}, {"tl_", node.Weight("threshold_lo")}};
  }
  for (const auto& [prefix, t] : ts) {
    if (t == nullptr) return Internal(HlsLabel(node) + ": missing threshold");
  }
  LayerEmission e;
  e.library_header = "fnet_elementwise.h";
  e.library_struct = binary ? "fnet::threshold2" : "fnet::threshold3";
  FIRMNET_ASSIGN_OR_RETURN(std::string raw,
                           RawTypedefMember("threshold_raw_t", in, HlsLabel(node) + " threshold"));
  e.config_members.push_back(raw);
  const int64_t n = static_cast<int64_t>(ts[0].second->data.size());
  e.config_members.push_back(ConstMember("n_scale", n));
  if (binary) {
    e.config_members.push_back(
        IntMember("low", layers::LayerImpl<LayerKind::kBatchNormQuantizedTanh>::Low(node)));
  }
  e.native_stream = ctx.input->shape.size() > 1 && n == ctx.input->shape.back();
  for (const auto& [prefix, t] : ts) {
    ConstArray a{prefix + ctx.ident, "threshold_raw_t", in, {}};
    for (double v : t->data) a.raw.push_back(QuantizeWeight(v, in));
    e.arrays.push_back(std::move(a));
  }
  return e;
}

}  // namespace firmnet::backend::hls
