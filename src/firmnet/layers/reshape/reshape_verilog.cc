#include "firmnet/layers/reshape/reshape_verilog.h"

#include "firmnet/backend/verilog/cast.h"

namespace firmnet::verilog {

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kReshape>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  std::vector<Signal> out;
  for (const Signal& x : ctx.in[0]) out.push_back(EmitCast(ctx.dp, x, result));
  return out;
}

}  // namespace firmnet::verilog
