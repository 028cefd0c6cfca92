#include "firmnet/layers/hard_sigmoid/hard_sigmoid_verilog.h"

#include <algorithm>

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/layers/common/elementwise.h"

namespace firmnet::verilog {

// v = alpha_q * x + beta_q exactly; v < 0 -> 0, v > 1 -> 1; one cast (docs/tables.md).
StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kHardSigmoid>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  const FixedType& param = ctx.node.Precision("param");
  FIRMNET_ASSIGN_OR_RETURN(layers::common::Param alpha,
                           layers::common::ParamAttr(ctx.node, "alpha"));
  FIRMNET_ASSIGN_OR_RETURN(layers::common::Param beta, layers::common::ParamAttr(ctx.node, "beta"));
  const Signal beta_c = Datapath::Const(beta.raw, param.width, param.is_signed, beta.exponent);
  const Signal one = Datapath::Const(BigInt(1), 2, false, 0);
  const Signal zero = Datapath::Const(BigInt(0), 1, false, 0);
  const Signal zero_y = EmitCast(ctx.dp, zero, result);
  const Signal one_y = EmitCast(ctx.dp, one, result);
  std::vector<Signal> out;
  for (const Signal& x : ctx.in[0]) {
    const Signal v = ctx.dp.Add(ctx.dp.MulConst(x, alpha.raw, alpha.exponent,
                                                UseDsp(ctx.node.settings.multiplier, alpha.raw)),
                                beta_c);
    const Signal mid = EmitCast(ctx.dp, v, result);
    out.push_back(
        ctx.dp.Mux(ctx.dp.IsNegative(v), zero_y, ctx.dp.Mux(ctx.dp.Less(one, v), one_y, mid)));
  }
  return out;
}

}  // namespace firmnet::verilog
