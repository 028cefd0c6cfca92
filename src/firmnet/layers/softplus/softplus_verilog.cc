#include "firmnet/layers/softplus/softplus_verilog.h"

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/backend/verilog/table_lookup.h"
#include "firmnet/layers/softplus/softplus.h"

namespace firmnet::verilog {

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kSoftplus>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  Datapath& dp = ctx.dp;
  return EmitMagnitudeTableLayer(
      ctx, layers::SoftplusTable(ctx.node, ctx.inputs), [&](const Signal& x, const Signal& v) {
        // cast(max(x, 0) + t), the sum exact.
        const Signal zero = Datapath::Const(BigInt(0), 1, false, x.exponent);
        return EmitCast(dp, dp.Add(dp.Mux(dp.IsNegative(x), zero, x), v), result);
      });
}

}  // namespace firmnet::verilog
