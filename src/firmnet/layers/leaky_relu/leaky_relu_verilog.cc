#include "firmnet/layers/leaky_relu/leaky_relu_verilog.h"

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/layers/common/elementwise.h"

namespace firmnet::verilog {

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kLeakyRelu>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  FIRMNET_ASSIGN_OR_RETURN(layers::common::Param alpha,
                           layers::common::ParamAttr(ctx.node, "alpha"));
  std::vector<Signal> out;
  for (const Signal& x : ctx.in[0]) {
    const Signal pos = EmitCast(ctx.dp, x, result);
    const Signal scaled = ctx.dp.MulConst(x, alpha.raw, alpha.exponent,
                                          UseDsp(ctx.node.settings.multiplier, alpha.raw));
    const Signal neg = EmitCast(ctx.dp, scaled, result);
    out.push_back(ctx.dp.Mux(ctx.dp.IsPositive(x), pos, neg));
  }
  return out;
}

}  // namespace firmnet::verilog
