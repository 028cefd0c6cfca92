#include "firmnet/layers/elu/elu_verilog.h"

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/backend/verilog/table_lookup.h"
#include "firmnet/layers/elu/elu.h"

namespace firmnet::verilog {

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kElu>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  Datapath& dp = ctx.dp;
  return EmitMagnitudeTableLayer(
      ctx, layers::EluTable(ctx.node, ctx.inputs), [&](const Signal& x, const Signal& v) {
        // x > 0 ? cast(x) : cast(t) (alpha is folded into the entries).
        return dp.Mux(dp.IsPositive(x), EmitCast(dp, x, result), EmitCast(dp, v, result));
      });
}

}  // namespace firmnet::verilog
