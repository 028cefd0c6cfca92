#include "firmnet/layers/tanh/tanh_verilog.h"

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/backend/verilog/table_lookup.h"
#include "firmnet/layers/tanh/tanh.h"

namespace firmnet::verilog {

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kTanh>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  Datapath& dp = ctx.dp;
  return EmitMagnitudeTableLayer(
      ctx, layers::TanhTable(ctx.node, ctx.inputs), [&](const Signal& x, const Signal& v) {
        // cast(x >= 0 ? t : -t): the sign is applied before the one cast.
        return EmitCast(dp, dp.Mux(dp.IsNegative(x), dp.Neg(v), v), result);
      });
}

}  // namespace firmnet::verilog
