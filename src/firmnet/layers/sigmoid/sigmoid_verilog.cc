#include "firmnet/layers/sigmoid/sigmoid_verilog.h"

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/backend/verilog/table_lookup.h"
#include "firmnet/layers/sigmoid/sigmoid.h"

namespace firmnet::verilog {

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kSigmoid>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  Datapath& dp = ctx.dp;
  return EmitMagnitudeTableLayer(ctx, layers::SigmoidTable(ctx.node, ctx.inputs),
                                 [&](const Signal& x, const Signal& v) {
                                   // x >= 0: cast(t); x < 0: cast(1 - t), exact.
                                   const Signal one = Datapath::Const(BigInt(1), 2, false, 0);
                                   const Signal neg = EmitCast(dp, dp.Sub(one, v), result);
                                   return dp.Mux(dp.IsNegative(x), neg, EmitCast(dp, v, result));
                                 });
}

}  // namespace firmnet::verilog
