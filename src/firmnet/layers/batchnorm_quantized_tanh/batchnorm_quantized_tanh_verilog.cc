#include "firmnet/layers/batchnorm_quantized_tanh/batchnorm_quantized_tanh_verilog.h"

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/layers/batchnorm_quantized_tanh/batchnorm_quantized_tanh.h"

namespace firmnet::verilog {

// One or two comparisons with constants of the input type per value: no multiplier.
StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kBatchNormQuantizedTanh>::Emit(
    LayerContext& ctx) {
  const ir::Node& node = ctx.node;
  const FixedType& result = node.Precision("result");
  const FixedType& in = ctx.inputs[0]->Precision("result");
  const bool binary = node.GetIntOr("levels", 0) == 2;
  const ir::Tensor* hi = node.Weight(binary ? "threshold" : "threshold_hi");
  const ir::Tensor* lo = binary ? nullptr : node.Weight("threshold_lo");
  if (hi == nullptr || (!binary && lo == nullptr)) {
    return Internal(node.Label() + ": missing thresholds");
  }
  const auto constant = [&](double v) {
    return Datapath::Const(QuantizeWeight(v, in), in.width, in.is_signed, in.lsb_exponent());
  };
  const Signal plus = EmitCast(ctx.dp, Datapath::Const(BigInt(1), 2, true, 0), result);
  const Signal zero = EmitCast(ctx.dp, Datapath::Const(BigInt(0), 2, true, 0), result);
  const int low = layers::LayerImpl<LayerKind::kBatchNormQuantizedTanh>::Low(node);
  const Signal minus = EmitCast(ctx.dp, Datapath::Const(BigInt(low), 2, true, 0), result);
  const size_t n = hi->data.size();
  std::vector<Signal> out;
  for (size_t i = 0; i < ctx.in[0].size(); ++i) {
    const Signal& x = ctx.in[0][i];
    const size_t c = i % n;
    if (binary) {
      out.push_back(ctx.dp.Mux(ctx.dp.Less(x, constant(hi->data[c])), minus, plus));
    } else {
      const Signal above = ctx.dp.Less(constant(hi->data[c]), x);
      const Signal mid = ctx.dp.Less(constant(lo->data[c]), x);  // x > lo
      out.push_back(ctx.dp.Mux(above, plus, ctx.dp.Mux(mid, zero, minus)));
    }
  }
  return out;
}

}  // namespace firmnet::verilog
