// ONNX import of QONNX's Quant (qonnx.custom_op.general; Brevitas' onnx.brevitas): on a
// constant, the quantized values and their type for the layer that reads them; on a layer
// output, a `linear` cast to the Quant's type, with explicit scale steps around it when the
// scale is not a power of two (frontend/onnx/qonnx_quant.h, docs/semantics.md).
#include <cmath>

#include "firmnet/frontend/onnx/qonnx_quant.h"
#include "firmnet/ir/printer.h"

namespace firmnet::onnx {

namespace {

// The batchnorm y = x * scale + bias (one value for every feature) after `in`.
StatusOr<Value> ScaleStep(OnnxContext& ctx, const NodeProto& n, const Value& in, double scale,
                          double bias, const std::string& suffix) {
  FIRMNET_ASSIGN_OR_RETURN(auto step, ctx.AddStep(n, LayerKind::kBatchNorm, in, suffix));
  const int64_t c = step.first->shape.empty() ? 1 : step.first->shape.back();
  step.first->weights["scale"] =
      ir::Tensor{{c}, std::vector<double>(static_cast<size_t>(c), scale)};
  step.first->weights["bias"] = ir::Tensor{{c}, std::vector<double>(static_cast<size_t>(c), bias)};
  return step.second;
}

Status ImportQuant(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_RETURN_IF_ERROR(ctx.NeedInput(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(QuantParams p, ReadQuantParams(ctx, n));
  if (p.bits == 1 && p.is_signed) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "a signed 1-bit Quant is bipolar (-1/+1 times the scale) in QONNX; firmnet "
                   "imports bipolar quantizers as BipolarQuant nodes");
  }
  const std::optional<int> e = p.Po2Exponent();
  if (ctx.IsConstant(n.input(0))) {
    if (!e) {
      return ctx.Err(StatusCode::kUnimplemented,
                     "a Quant on a constant needs one power-of-two scale and zero point 0 (the "
                     "weight is then a fixed-point type); scale '" +
                         n.input(1) + "' / zero point '" + n.input(2) + "' are not");
    }
    FIRMNET_ASSIGN_OR_RETURN(ir::Tensor x, ctx.ConstIn(n, 0, "input"));
    FIRMNET_ASSIGN_OR_RETURN(ir::Tensor q, QuantConstant(ctx, n, p, x, /*integers=*/false));
    // The weight type: the Quant's modes where ap_fixed has them (the values are exact).
    auto t = QuantType(ctx, p, *e);
    if (!t.ok()) {
      auto plain = MakeFixedType(p.bits, p.bits + *e, p.is_signed);
      if (!plain.ok()) return ctx.Err(StatusCode::kInvalidArgument, plain.status().message());
      t = *plain;
    }
    return ctx.DefineQuantizedConstant(n, q, {*t, false});
  }
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  if (e) {
    FIRMNET_ASSIGN_OR_RETURN(FixedType t, QuantType(ctx, p, *e));
    FIRMNET_ASSIGN_OR_RETURN(ir::Node * node,
                             ctx.AddLayer(n, LayerKind::kLinear, x, x.shape, x.perm));
    node->attrs["quant"] = int64_t{1};
    node->model_precision["result"] = t;
    return OkStatus();
  }
  // Another scale or a zero point: x / s + z, the integer cast, (q - z) * s (hls4ml's
  // ApplyAlpha, linear, ApplyAlpha), with one scale and zero point for the whole tensor.
  const auto s = p.UniformScale();
  const auto z = p.UniformZeropt();
  if (!s || !z) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "scale '" + n.input(1) + "' or zero point '" + n.input(2) +
                       "' differs between elements; on a layer output firmnet needs one scale "
                       "and one zero point unless the scale is a power of two");
  }
  FIRMNET_ASSIGN_OR_RETURN(FixedType t, QuantType(ctx, p, 0));
  FIRMNET_ASSIGN_OR_RETURN(Value scaled, ScaleStep(ctx, n, x, 1.0 / *s, *z, "_scale"));
  FIRMNET_ASSIGN_OR_RETURN(auto cast, ctx.AddStep(n, LayerKind::kLinear, scaled, "_act"));
  cast.first->attrs["quant"] = int64_t{1};
  cast.first->model_precision["result"] = t;
  FIRMNET_ASSIGN_OR_RETURN(Value out, ScaleStep(ctx, n, cast.second, *s, -*z * *s, "_rescale"));
  return ctx.Define(n, out);
}

}  // namespace

std::vector<OnnxRule> OnnxRules_linear() {
  return {{"qonnx.custom_op.general.Quant", &ImportQuant}};
}

}  // namespace firmnet::onnx
