#include "firmnet/layers/elu/elu_verilog.h"

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/backend/verilog/table_lookup.h"
#include "firmnet/layers/elu/elu.h"

namespace firmnet::verilog {

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kElu>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  const FixedType& table_type = ctx.node.Precision("table");
  ASSIGN_OR_RETURN(layers::common::MagnitudeTable t, layers::EluTable(ctx.node, ctx.inputs));
  const std::string rom = AddRom(ctx, "table", t.entries, table_type.width);
  Datapath& dp = ctx.dp;
  std::vector<Signal> out;
  for (const Signal& x : ctx.in[0]) {
    const Signal v = MagnitudeLookup(ctx, rom, t, table_type, AbsRaw(dp, x, ctx.prefix));
    // x > 0 ? cast(x) : cast(t) (alpha is folded into the entries).
    out.push_back(dp.Mux(dp.IsPositive(x), EmitCast(dp, x, result), EmitCast(dp, v, result)));
  }
  return out;
}

}  // namespace firmnet::verilog
