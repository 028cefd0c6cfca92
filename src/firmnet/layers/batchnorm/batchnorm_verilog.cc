#include "firmnet/layers/batchnorm/batchnorm_verilog.h"

#include "firmnet/backend/verilog/cast.h"

namespace firmnet::verilog {

// y_k = cast(x_k * scale_c + bias_c), product and sum exact (docs/semantics.md); c = k mod the
// number of scale values (one per channel of a feature map, one per element of a vector).
StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kBatchNorm>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  const FixedType& scale_t = ctx.node.Precision("scale");
  const FixedType& bias_t = ctx.node.Precision("bias");
  const std::vector<double>& scale = ctx.node.weights.at("scale").data;
  const std::vector<double>& bias = ctx.node.weights.at("bias").data;
  std::vector<Signal> out;
  for (size_t k = 0; k < ctx.in[0].size(); ++k) {
    const size_t i = k % scale.size();
    const BigInt s = QuantizeWeight(scale[i], scale_t);
    const BigInt b = QuantizeWeight(bias[i], bias_t);
    const Signal p = ctx.dp.MulConst(ctx.in[0][k], s, scale_t.lsb_exponent(),
                                     UseDsp(ctx.node.settings.multiplier, s));
    const Signal v =
        ctx.dp.Add(p, Datapath::Const(b, bias_t.width, bias_t.is_signed, bias_t.lsb_exponent()));
    out.push_back(EmitCast(ctx.dp, v, result));
  }
  return out;
}

}  // namespace firmnet::verilog
