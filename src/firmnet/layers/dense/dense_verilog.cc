// Dense in hardware, exactly as the emulator computes it (docs/semantics.md, "Dense"):
//   acc_j = (accum_t) bias_j;  acc_j += (accum_t)(x_i * w_ij) in input order;  y_j = (result_t)
//   acc_j.
// With a plain AP_WRAP accumulator the order of the wraps cannot change the result, so each
// output is one balanced adder tree computed modulo 2^(accumulator's top bit); with any other
// accumulator overflow mode every addition is cast in input order (a chain, as the emulator).
// Zero weights produce no logic.
#include "firmnet/layers/dense/dense_verilog.h"

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/layers/dense/dense_reuse.h"

namespace firmnet::verilog {
bool CastFromModular(const FixedType& t) {
  return CastWraps(t) && t.rounding != Rounding::kTrnZero && t.rounding != Rounding::kRndZero &&
         t.rounding != Rounding::kRndInf;
}

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kDense>::Emit(LayerContext& ctx) {
  const ir::Node& node = ctx.node;
  FIRMNET_RETURN_IF_ERROR(layers::CheckReuseFactor(node));
  if (node.settings.reuse_factor != 1) return EmitDenseReused(ctx);
  const ir::Tensor& w = node.weights.at("weight");
  const int64_t n_in = w.shape[0], n_out = w.shape[1];
  const FixedType& weight_t = node.Precision("weight");
  const FixedType& bias_t = node.Precision("bias");
  const FixedType& accum_t = node.Precision("accum");
  const FixedType& result_t = node.Precision("result");
  const std::vector<double>& bias = node.weights.at("bias").data;
  const bool tree = CastWraps(accum_t);
  const int product_top = CastFromModular(accum_t) ? CastTop(accum_t) : Datapath::kNoTop;
  const int sum_top = CastTop(accum_t);
  Datapath& dp = ctx.dp;
  std::vector<Signal> out;
  for (int64_t j = 0; j < n_out; ++j) {
    const BigInt braw = QuantizeWeight(bias[j], bias_t);
    const BigInt bacc = Cast(braw, bias_t.lsb_exponent(), accum_t);
    const Signal b =
        Datapath::Const(bacc, accum_t.width, accum_t.is_signed, accum_t.lsb_exponent());
    std::vector<Signal> terms;
    for (int64_t i = 0; i < n_in; ++i) {
      const BigInt wq = QuantizeWeight(w.data[i * n_out + j], weight_t);
      if (wq.IsZero()) continue;
      const Signal p = dp.MulConst(ctx.in[0][i], wq, weight_t.lsb_exponent(),
                                   UseDsp(node.settings.multiplier, wq), product_top);
      terms.push_back(EmitCast(dp, p, accum_t));
    }
    Signal acc = b;
    if (tree) {
      terms.insert(terms.begin(), b);
      acc = EmitCast(dp, dp.SumTree(terms, sum_top), accum_t);
    } else {
      for (const Signal& t : terms) acc = EmitCast(dp, dp.Add(acc, t), accum_t);
    }
    out.push_back(EmitCast(dp, acc, result_t));
  }
  return out;
}

}  // namespace firmnet::verilog
