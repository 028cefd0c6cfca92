#include "firmnet/layers/binary_tanh/binary_tanh_verilog.h"

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/layers/binary_tanh/binary_tanh.h"

namespace firmnet::verilog {

// The sign bit picks one of two constants (+1 and -1, or 0 under xnor=1, cast to the result at
// generation time).
StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kBinaryTanh>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  const Signal plus = EmitCast(ctx.dp, Datapath::Const(BigInt(1), 2, true, 0), result);
  const int low = layers::LayerImpl<LayerKind::kBinaryTanh>::Low(ctx.node);
  const Signal minus = EmitCast(ctx.dp, Datapath::Const(BigInt(low), 2, true, 0), result);
  std::vector<Signal> out;
  for (const Signal& x : ctx.in[0]) {
    out.push_back(x.is_signed ? ctx.dp.Mux(ctx.dp.IsNegative(x), minus, plus) : plus);
  }
  return out;
}

}  // namespace firmnet::verilog
