#include "firmnet/layers/relu/relu_verilog.h"

#include "firmnet/backend/verilog/cast.h"

namespace firmnet::verilog {

// cast(x > 0 ? x : 0) == (x < 0 ? 0 : cast(x)): a cast of 0 is 0, and the sign bit alone picks
// the branch, so the mux sits after the cast, at the result's (usually narrower) width.
StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kRelu>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  std::vector<Signal> out;
  for (const Signal& x : ctx.in[0]) {
    if (!x.is_signed) {
      out.push_back(EmitCast(ctx.dp, x, result));
      continue;
    }
    const Signal zero =
        Datapath::Const(BigInt(0), result.width, result.is_signed, result.lsb_exponent());
    const Signal y = EmitCast(ctx.dp, x, result);
    out.push_back(ctx.dp.Mux(ctx.dp.IsNegative(x), zero, y));
  }
  return out;
}

}  // namespace firmnet::verilog
