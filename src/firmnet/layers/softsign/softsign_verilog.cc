#include "firmnet/layers/softsign/softsign_verilog.h"

#include <algorithm>

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/backend/verilog/table_lookup.h"
#include "firmnet/layers/softsign/softsign.h"

namespace firmnet::verilog {

// v = |x| + 1 exactly on the grid c = min(e_in, 0) (so v >= 1 and its leading one is at least
// at -c); y = cast(x * inv(v)) with inv(v) = entry * 2^-(p + c) (docs/tables.md).
StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kSoftsign>::Emit(LayerContext& ctx) {
  const FixedType& in = ctx.inputs[0]->Precision("result");
  const FixedType& result = ctx.node.Precision("result");
  const FixedType& table_type = ctx.node.Precision("table");
  FIRMNET_ASSIGN_OR_RETURN(layers::common::InverseTable it,
                           layers::SoftsignTable(ctx.node, ctx.inputs));
  std::string rom;  // laid out for v's width, the same for every element
  Datapath& dp = ctx.dp;
  const int c = std::min(in.lsb_exponent(), 0);
  const Signal one = Datapath::Const(BigInt(1), 2, false, 0);
  std::vector<Signal> out;
  for (const Signal& x : ctx.in[0]) {
    Signal a = AbsRaw(dp, x, ctx.prefix);
    a.exponent = in.lsb_exponent();
    const Signal v = dp.Add(a, one);  // exponent c, unsigned
    Signal vraw = RawSlice(dp, v, v.width - 1, 0, ctx.prefix + "_v");
    if (rom.empty()) rom = AddInverseRom(ctx, "inv", it, table_type.width, vraw.width);
    const Signal inv = InverseLookup(ctx, rom, it, table_type, vraw, -c, vraw.width - 1);
    Signal xr = x;
    xr.exponent = 0;
    const Signal p =
        Datapath::Scale(dp.Mul(xr, inv, UseDspForSignals(ctx.node.settings.multiplier)),
                        in.lsb_exponent() + table_type.lsb_exponent() - c - (v.width - 1));
    out.push_back(EmitCast(dp, p, result));
  }
  return out;
}

}  // namespace firmnet::verilog
