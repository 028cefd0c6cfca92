// fixed_point_quantizer for the HLS backend: fnet::fixed_point_quantizer
// (runtime/fnet_elementwise.h) calls its config's quantize(), one cast per element to that
// element's ap_fixed / ap_ufixed type (0 where it has no bits), as hls4ml writes an HGQ
// quantizer that it cannot fold.
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/fixed_point_quantizer/fixed_point_quantizer.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_fixed_point_quantizer(const HlsLayerContext& ctx) {
  auto types = layers::ElementTypes(*ctx.node);
  if (!types.ok()) return HlsUnsupported(*ctx.node, types.status().message());
  LayerEmission e;
  e.library_header = "fnet_elementwise.h";
  e.library_struct = "fnet::fixed_point_quantizer";
  e.config_members.push_back("static void quantize(const in_t* x, out_t* y) {");
  e.config_members.push_back("#pragma HLS INLINE");
  for (size_t i = 0; i < types->size(); ++i) {
    const std::string k = std::to_string(i);
    const auto& t = (*types)[i];
    e.config_members.push_back(
        "  y[" + k + "] = " + (t ? FormatFixedType(*t) + "(x[" + k + "])" : std::string("0")) +
        ";");
  }
  e.config_members.push_back("}");
  return e;
}

}  // namespace firmnet::backend::hls
