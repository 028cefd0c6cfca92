#include "firmnet/layers/batchnorm/batchnorm_verilog.h"

#include "firmnet/backend/verilog/cast.h"

namespace firmnet::verilog {

// y_i = cast(x_i * scale_c + bias_c), product and sum exact (docs/semantics.md); c = i, or
// i mod C for one scale per channel of a feature map.
StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kBatchNorm>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  const FixedType& scale_t = ctx.node.Precision("scale");
  const FixedType& bias_t = ctx.node.Precision("bias");
  const std::vector<double>& scale = ctx.node.weights.at("scale").data;
  const std::vector<double>& bias = ctx.node.weights.at("bias").data;
  std::vector<Signal> out;
  for (size_t i = 0; i < ctx.in[0].size(); ++i) {
    const BigInt s = QuantizeWeight(scale[i % scale.size()], scale_t);
    const BigInt b = QuantizeWeight(bias[i % bias.size()], bias_t);
    const Signal p = ctx.dp.MulConst(ctx.in[0][i], s, scale_t.lsb_exponent(),
                                     UseDsp(ctx.node.settings.multiplier, s));
    const Signal v =
        ctx.dp.Add(p, Datapath::Const(b, bias_t.width, bias_t.is_signed, bias_t.lsb_exponent()));
    out.push_back(EmitCast(ctx.dp, v, result));
  }
  return out;
}

}  // namespace firmnet::verilog
