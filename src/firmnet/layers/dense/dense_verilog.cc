// Dense in hardware, exactly as the emulator computes it (docs/semantics.md, "Dense"):
//   acc_j = (accum_t) bias_j;  acc_j += (accum_t)(x_i * w_ij) in input order;  y_j = (result_t)
//   acc_j.
// With a plain AP_WRAP accumulator the order of the wraps cannot change the result, so each
// output is one balanced adder tree computed modulo 2^(accumulator's top bit); with any other
// accumulator overflow mode every addition is cast in input order (a chain, as the emulator).
// Zero weights produce no logic.
#include "firmnet/layers/dense/dense_verilog.h"

#include <cmath>
#include <optional>

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/layers/common/po2_product.h"
#include "firmnet/layers/dense/dense_reuse.h"

namespace firmnet::verilog {
bool CastFromModular(const FixedType& t) {
  return CastWraps(t) && t.rounding != Rounding::kTrnZero && t.rounding != Rounding::kRndZero &&
         t.rounding != Rounding::kRndInf;
}

namespace {

// Whether every value of the producer is -1 or +1: a binary threshold or binary tanh whose
// result is ap_int<2> (docs/semantics.md, "Binary and ternary networks").
bool BinaryInput(const ir::Node& producer) {
  const FixedType& t = producer.Precision("result");
  if (t.width != 2 || t.int_bits != 2 || !t.is_signed) return false;
  return producer.kind == LayerKind::kBinaryTanh ||
         (producer.kind == LayerKind::kBatchNormQuantizedTanh &&
          producer.GetIntOr("levels", 0) == 2);
}

// XNOR-popcount: with inputs and weights in {-1, +1} (zero weights skipped), sum_i w_i x_i =
// (P - N) + 2 (B - A), where P/N count the +1/-1 weights and A/B count the negative inputs
// (sign bits) under them: two popcounts of single bits instead of an adder tree of products.
// Applies when the accumulator holds |bias| + n_in exactly (no product or sum can round or
// overflow), so the result equals the emulator's ordered casts.
std::optional<std::vector<Signal>> EmitPopcountDense(LayerContext& ctx) {
  const ir::Node& node = ctx.node;
  if (ctx.inputs.size() != 1 || ctx.inputs[0] == nullptr || !BinaryInput(*ctx.inputs[0])) {
    return std::nullopt;
  }
  const ir::Tensor& w = node.weights.at("weight");
  const int64_t n_in = w.shape[0], n_out = w.shape[1];
  const FixedType& weight_t = node.Precision("weight");
  const FixedType& bias_t = node.Precision("bias");
  const FixedType& accum_t = node.Precision("accum");
  std::vector<int> sign(static_cast<size_t>(n_in * n_out));
  for (size_t k = 0; k < sign.size(); ++k) {
    const double v = ToDouble(QuantizeWeight(w.data[k], weight_t), weight_t);
    if (v != 0 && v != 1 && v != -1) return std::nullopt;
    sign[k] = static_cast<int>(v);
  }
  const double span = std::ldexp(1.0, accum_t.int_bits - (accum_t.is_signed ? 1 : 0));
  std::vector<BigInt> bias_acc;
  for (int64_t j = 0; j < n_out; ++j) {
    const BigInt braw = QuantizeWeight(node.weights.at("bias").data[j], bias_t);
    const double b = ToDouble(braw, bias_t);
    // Exact in the accumulator: on its grid, and |b| + n_in inside its range.
    const BigInt bacc = Cast(braw, bias_t.lsb_exponent(), accum_t);
    if (!accum_t.is_signed || accum_t.lsb_exponent() > 0 || ToDouble(bacc, accum_t) != b ||
        std::abs(b) + static_cast<double>(n_in) >= span) {
      return std::nullopt;
    }
    bias_acc.push_back(bacc);
  }
  Datapath& dp = ctx.dp;
  std::vector<Signal> negative;
  for (int64_t i = 0; i < n_in; ++i) negative.push_back(dp.IsNegative(ctx.in[0][i]));
  const Signal zero = Datapath::Const(BigInt(0), 1, false, 0);
  std::vector<Signal> out;
  for (int64_t j = 0; j < n_out; ++j) {
    std::vector<Signal> under_plus, under_minus;
    int64_t plus = 0, minus = 0;
    for (int64_t i = 0; i < n_in; ++i) {
      const int s = sign[static_cast<size_t>(i * n_out + j)];
      if (s > 0) {
        ++plus;
        under_plus.push_back(negative[i]);
      } else if (s < 0) {
        ++minus;
        under_minus.push_back(negative[i]);
      }
    }
    const Signal a = under_plus.empty() ? zero : dp.SumTree(under_plus);
    const Signal b = under_minus.empty() ? zero : dp.SumTree(under_minus);
    const Signal twice = Datapath::Scale(dp.Sub(b, a), 1);
    const Signal base =
        Datapath::Const(bias_acc[j] + (BigInt(plus - minus) << -accum_t.lsb_exponent()),
                        accum_t.width + 2, true, accum_t.lsb_exponent());
    const Signal acc = EmitCast(dp, dp.Add(twice, base), accum_t);
    out.push_back(EmitCast(dp, acc, node.Precision("result")));
  }
  return out;
}

}  // namespace

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kDense>::Emit(LayerContext& ctx) {
  const ir::Node& node = ctx.node;
  FIRMNET_RETURN_IF_ERROR(layers::CheckReuseFactor(node));
  FIRMNET_ASSIGN_OR_RETURN(const std::optional<layers::common::Po2Product> po2,
                           layers::common::Po2Product::For(node, ctx.inputs[0]->Precision("result"),
                                                           node.Precision("weight")));
  if (node.settings.reuse_factor != 1) {
    if (po2) {
      return InvalidArgument(node.Label() +
                             ": power-of-two (quantized_po2) weights with ReuseFactor > 1 are not "
                             "built in Verilog yet; use ReuseFactor 1 for this layer");
    }
    return EmitDenseReused(ctx);
  }
  if (auto popcount = EmitPopcountDense(ctx)) return std::move(*popcount);
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
      if (po2) {
        // hls4ml's shift product: (r_t) x shifted by the exponent in r_t, then negated in r_t.
        const FixedType& r_t = po2->type();
        const bool negative = wq.IsNegative();
        const Signal a = EmitCast(dp, ctx.in[0][i], r_t);
        const Signal t =
            EmitCast(dp, dp.MulConst(a, negative ? -wq : wq, weight_t.lsb_exponent(), false), r_t);
        terms.push_back(EmitCast(dp, negative ? EmitCast(dp, dp.Neg(t), r_t) : t, accum_t));
        continue;
      }
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
