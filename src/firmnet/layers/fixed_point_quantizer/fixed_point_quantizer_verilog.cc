#include "firmnet/layers/fixed_point_quantizer/fixed_point_quantizer_verilog.h"

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/layers/fixed_point_quantizer/fixed_point_quantizer.h"

namespace firmnet::verilog {

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kFixedPointQuantizer>::Emit(
    LayerContext& ctx) {
  FIRMNET_ASSIGN_OR_RETURN(auto types, layers::ElementTypes(ctx.node));
  const FixedType& result = ctx.node.Precision("result");
  if (types.size() != ctx.in[0].size()) {
    return InvalidArgument("layer '" + ctx.node.name + "': " + std::to_string(types.size()) +
                           " element types for " + std::to_string(ctx.in[0].size()) + " inputs");
  }
  std::vector<Signal> out;
  out.reserve(types.size());
  for (size_t i = 0; i < types.size(); ++i) {
    if (!types[i]) {
      out.push_back(
          Datapath::Const(BigInt(0), result.width, result.is_signed, result.lsb_exponent()));
      continue;
    }
    out.push_back(EmitCast(ctx.dp, EmitCast(ctx.dp, ctx.in[0][i], *types[i]), result));
  }
  return out;
}

}  // namespace firmnet::verilog
