// binary_tanh for the HLS backend: fnet::binary_tanh (runtime/fnet_elementwise.h), whose member
// `low` is the value of a negative input (-1, or 0 in the XNOR encoding).
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/binary_tanh/binary_tanh.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_binary_tanh(const HlsLayerContext& ctx) {
  FIRMNET_ASSIGN_OR_RETURN(LayerEmission e, ElementwiseEmission(*ctx.node, "fnet::binary_tanh"));
  e.config_members.push_back(
      IntMember("low", layers::LayerImpl<LayerKind::kBinaryTanh>::Low(*ctx.node)));
  return e;
}

}  // namespace firmnet::backend::hls
