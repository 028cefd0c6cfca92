#include "firmnet/layers/tanh/tanh_verilog.h"

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/backend/verilog/table_lookup.h"
#include "firmnet/layers/tanh/tanh.h"

namespace firmnet::verilog {

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kTanh>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  const FixedType& table_type = ctx.node.Precision("table");
  ASSIGN_OR_RETURN(layers::common::MagnitudeTable t, layers::TanhTable(ctx.node, ctx.inputs));
  const std::string rom = AddRom(ctx, "table", t.entries, table_type.width);
  Datapath& dp = ctx.dp;
  std::vector<Signal> out;
  for (const Signal& x : ctx.in[0]) {
    const Signal v = MagnitudeLookup(ctx, rom, t, table_type, AbsRaw(dp, x, ctx.prefix));
    // cast(x >= 0 ? t : -t): the sign is applied before the one cast.
    out.push_back(EmitCast(dp, dp.Mux(dp.IsNegative(x), dp.Neg(v), v), result));
  }
  return out;
}

}  // namespace firmnet::verilog
