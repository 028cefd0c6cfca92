#include "firmnet/layers/sigmoid/sigmoid_verilog.h"

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/backend/verilog/table_lookup.h"
#include "firmnet/layers/sigmoid/sigmoid.h"

namespace firmnet::verilog {

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kSigmoid>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  const FixedType& table_type = ctx.node.Precision("table");
  ASSIGN_OR_RETURN(layers::common::MagnitudeTable t, layers::SigmoidTable(ctx.node, ctx.inputs));
  const std::string rom = AddRom(ctx, "table", t.entries, table_type.width);
  Datapath& dp = ctx.dp;
  std::vector<Signal> out;
  for (const Signal& x : ctx.in[0]) {
    const Signal v = MagnitudeLookup(ctx, rom, t, table_type, AbsRaw(dp, x, ctx.prefix));
    // x >= 0: cast(t); x < 0: cast(1 - t), exact.
    const Signal one = Datapath::Const(BigInt(1), 2, false, 0);
    const Signal neg = EmitCast(dp, dp.Sub(one, v), result);
    out.push_back(dp.Mux(dp.IsNegative(x), neg, EmitCast(dp, v, result)));
  }
  return out;
}

}  // namespace firmnet::verilog
