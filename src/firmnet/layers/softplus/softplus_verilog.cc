#include "firmnet/layers/softplus/softplus_verilog.h"

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/backend/verilog/table_lookup.h"
#include "firmnet/layers/softplus/softplus.h"

namespace firmnet::verilog {

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kSoftplus>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  const FixedType& table_type = ctx.node.Precision("table");
  ASSIGN_OR_RETURN(layers::common::MagnitudeTable t, layers::SoftplusTable(ctx.node, ctx.inputs));
  const std::string rom = AddRom(ctx, "table", t.entries, table_type.width);
  Datapath& dp = ctx.dp;
  std::vector<Signal> out;
  for (const Signal& x : ctx.in[0]) {
    const Signal v = MagnitudeLookup(ctx, rom, t, table_type, AbsRaw(dp, x, ctx.prefix));
    // cast(max(x, 0) + t), the sum exact.
    const Signal zero = Datapath::Const(BigInt(0), 1, false, x.exponent);
    out.push_back(EmitCast(dp, dp.Add(dp.Mux(dp.IsNegative(x), zero, x), v), result));
  }
  return out;
}

}  // namespace firmnet::verilog
