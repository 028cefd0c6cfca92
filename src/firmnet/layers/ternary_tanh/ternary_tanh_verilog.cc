#include "firmnet/layers/ternary_tanh/ternary_tanh_verilog.h"

#include "firmnet/backend/verilog/cast.h"

namespace firmnet::verilog {

// d = (input type)(2x), then two comparisons with the constants +-1 pick +1, 0 or -1.
StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kTernaryTanh>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  const FixedType& in = ctx.inputs[0]->Precision("result");
  const Signal one = Datapath::Const(BigInt(1), 2, true, 0);
  const Signal minus_one = Datapath::Const(BigInt(-1), 2, true, 0);
  const Signal plus = EmitCast(ctx.dp, one, result);
  const Signal zero = EmitCast(ctx.dp, Datapath::Const(BigInt(0), 2, true, 0), result);
  const Signal minus = EmitCast(ctx.dp, minus_one, result);
  std::vector<Signal> out;
  for (const Signal& x : ctx.in[0]) {
    const Signal d = EmitCast(ctx.dp, Datapath::Scale(x, 1), in);
    out.push_back(
        ctx.dp.Mux(ctx.dp.Less(one, d), plus, ctx.dp.Mux(ctx.dp.Less(minus_one, d), zero, minus)));
  }
  return out;
}

}  // namespace firmnet::verilog
