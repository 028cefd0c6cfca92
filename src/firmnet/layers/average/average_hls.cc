// average for the HLS backend: fnet::average (runtime/fnet_merge.h), the exact mean of the inputs
// cast once to the result type (layers/common/merge.cc's MeanKernel). The members: sum_t, a
// signed type on the finest input grid 2^e that holds any sum exactly; frac_lsb = f =
// min(e, result lsb - 1), the grid of the quotient; extra = e - f.
#include <algorithm>

#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/common/auto_precision.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_average(const HlsLayerContext& ctx) {
  const ir::Node& node = *ctx.node;
  const size_t n = node.inputs.size();
  int e = ctx.Input(0)->Precision("result").lsb_exponent();
  for (size_t k = 0; k < n; ++k) e = std::min(e, ctx.Input(k)->Precision("result").lsb_exponent());
  int bits = 0;  // the widest input on the grid 2^e, plus a sign bit for an unsigned one
  for (size_t k = 0; k < n; ++k) {
    const FixedType& t = ctx.Input(k)->Precision("result");
    bits = std::max(bits, t.width + (t.lsb_exponent() - e) + (t.is_signed ? 0 : 1));
  }
  const int width = bits + layers::common::CeilLog2(static_cast<int64_t>(n));
  const int f = std::min(e, node.Precision("result").lsb_exponent() - 1);
  if (width + (e - f) + 2 > 4000) {
    return HlsUnsupported(node, "the input and result types are too far apart for an exact mean");
  }
  LayerEmission e_out;
  e_out.library_header = "fnet_merge.h";
  e_out.library_struct = "fnet::average";
  e_out.config_members = {
      "typedef ap_fixed<" + std::to_string(width) + ", " + std::to_string(width + e) + "> sum_t;",
      IntMember("frac_lsb", f), ConstMember("extra", e - f)};
  return e_out;
}

}  // namespace firmnet::backend::hls
