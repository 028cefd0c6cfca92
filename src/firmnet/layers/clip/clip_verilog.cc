#include "firmnet/layers/clip/clip_verilog.h"

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/layers/common/elementwise.h"

namespace firmnet::verilog {

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kClip>::Emit(LayerContext& ctx) {
  const FixedType& result = ctx.node.Precision("result");
  const FixedType& param = ctx.node.Precision("param");
  FIRMNET_ASSIGN_OR_RETURN(layers::common::Param lo, layers::common::ParamAttr(ctx.node, "min"));
  FIRMNET_ASSIGN_OR_RETURN(layers::common::Param hi, layers::common::ParamAttr(ctx.node, "max"));
  const Signal lo_c = Datapath::Const(lo.raw, param.width, param.is_signed, lo.exponent);
  const Signal hi_c = Datapath::Const(hi.raw, param.width, param.is_signed, hi.exponent);
  // The bounds are cast at generation time with the emulator's Cast().
  const Signal lo_y = EmitCast(ctx.dp, lo_c, result);
  const Signal hi_y = EmitCast(ctx.dp, hi_c, result);
  std::vector<Signal> out;
  for (const Signal& x : ctx.in[0]) {
    const Signal below = ctx.dp.Less(x, lo_c);
    const Signal above = ctx.dp.Less(hi_c, x);
    const Signal mid = EmitCast(ctx.dp, x, result);
    out.push_back(ctx.dp.Mux(below, lo_y, ctx.dp.Mux(above, hi_y, mid)));
  }
  return out;
}

}  // namespace firmnet::verilog
