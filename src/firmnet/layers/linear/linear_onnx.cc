// ONNX import of QONNX's Quant and Trunc (qonnx.custom_op.general; Brevitas' onnx.brevitas): on a
// constant, the quantized values and their type for the layer that reads them; on a layer
// output, a `linear` cast to the Quant's type, with explicit scale steps around it when the
// scale is not a power of two (frontend/onnx/qonnx_quant.h, docs/semantics.md).
#include <algorithm>
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
  // 1/s and -z*s in float32, as hls4ml's numpy computes them from the float32 initializers.
  const auto sf = static_cast<float>(*s);
  const auto zf = static_cast<float>(*z);
  FIRMNET_ASSIGN_OR_RETURN(Value scaled,
                           ScaleStep(ctx, n, x, static_cast<double>(1.0F / sf), *z, "_scale"));
  FIRMNET_ASSIGN_OR_RETURN(auto cast, ctx.AddStep(n, LayerKind::kLinear, scaled, "_act"));
  cast.first->attrs["quant"] = int64_t{1};
  cast.first->model_precision["result"] = t;
  FIRMNET_ASSIGN_OR_RETURN(
      Value out, ScaleStep(ctx, n, cast.second, *s, static_cast<double>(-zf * sf), "_rescale"));
  return ctx.Define(n, out);
}

// The exponent e of a constant input that is one power of two 2^e.
StatusOr<int> Po2Input(const OnnxContext& ctx, const NodeProto& n, int i, const char* role) {
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor t, ctx.ConstIn(n, i, role));
  int e = 0;
  const bool uniform = !t.data.empty() && std::all_of(t.data.begin(), t.data.end(),
                                                      [&](double v) { return v == t.data[0]; });
  if (!uniform || !(t.data[0] > 0) || std::frexp(t.data[0], &e) != 0.5) {
    return ctx.Err(StatusCode::kUnimplemented,
                   std::string(role) + " '" + n.input(i) +
                       "' must be one power of two (firmnet builds Trunc as fixed-point casts)");
  }
  return e - 1;
}

StatusOr<int> BitWidthInput(const OnnxContext& ctx, const NodeProto& n, int i, const char* role) {
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor b, ctx.ConstIn(n, i, role));
  if (b.data.size() != 1 || b.data[0] != std::floor(b.data[0]) || b.data[0] < 1 || b.data[0] > 32) {
    return ctx.Err(StatusCode::kUnimplemented,
                   std::string(role) + " '" + n.input(i) + "' must be one integer from 1 to 32");
  }
  return static_cast<int>(b.data[0]);
}

// QONNX's Trunc (version 2: x, scale, zeropt, input_bit_width, output_scale, output_bit_width;
// rounding_mode default FLOOR, signed, narrow): y = round(x/s + z); y /= t (t = output_scale/s);
// y = mode(clip(y, min_int, max_int)); out = (y - z/t) * output_scale. With power-of-two scales
// and zero point 0 these are two casts: to the input grid s (round half to even, the input's
// bits and a sign) and to the output type ap_fixed<out_bw, out_bw + log2(output_scale), mode,
// SAT> (SAT_SYM when narrow), as Quant's.
Status ImportTrunc(OnnxContext& ctx, const NodeProto& n) {
  if (n.input_size() == 5) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "Trunc with 5 inputs (QONNX's first version, without an output scale) is not "
                   "supported; QONNX's current Trunc has 6 (x, scale, zeropt, input_bit_width, "
                   "output_scale, output_bit_width)");
  }
  for (int i = 0; i < 6; ++i) FIRMNET_RETURN_IF_ERROR(ctx.NeedInput(n, i));
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(const int es, Po2Input(ctx, n, 1, "scale"));
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor z, ctx.ConstIn(n, 2, "zero point"));
  if (std::any_of(z.data.begin(), z.data.end(), [](double v) { return v != 0; })) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "zero point '" + n.input(2) + "' is not 0 (Trunc is built with zero point 0)");
  }
  FIRMNET_ASSIGN_OR_RETURN(const int in_bits, BitWidthInput(ctx, n, 3, "input_bit_width"));
  FIRMNET_ASSIGN_OR_RETURN(const int eo, Po2Input(ctx, n, 4, "output_scale"));
  QuantParams p;
  FIRMNET_ASSIGN_OR_RETURN(p.bits, BitWidthInput(ctx, n, 5, "output_bit_width"));
  FIRMNET_ASSIGN_OR_RETURN(int64_t is_signed, ctx.AttrInt(n, "signed", 1));
  FIRMNET_ASSIGN_OR_RETURN(int64_t narrow, ctx.AttrInt(n, "narrow", 0));
  p.is_signed = is_signed != 0;
  p.narrow = narrow != 0;
  FIRMNET_RETURN_IF_ERROR(ReadQonnxRounding(ctx, n, "FLOOR", p));
  FIRMNET_ASSIGN_OR_RETURN(FixedType out_t, QuantType(ctx, p, eo));
  auto grid_t =
      MakeFixedType(in_bits + 1, in_bits + 1 + es, true, Rounding::kRndConv, Overflow::kSat);
  if (!grid_t.ok()) return ctx.Err(StatusCode::kInvalidArgument, grid_t.status().message());
  FIRMNET_ASSIGN_OR_RETURN(auto grid, ctx.AddStep(n, LayerKind::kLinear, x, "_round"));
  grid.first->attrs["quant"] = int64_t{1};
  grid.first->model_precision["result"] = *grid_t;
  FIRMNET_ASSIGN_OR_RETURN(auto cast, ctx.AddStep(n, LayerKind::kLinear, grid.second, ""));
  cast.first->attrs["quant"] = int64_t{1};
  cast.first->model_precision["result"] = out_t;
  return ctx.Define(n, cast.second);
}

}  // namespace

std::vector<OnnxRule> OnnxRules_linear() {
  return {{"qonnx.custom_op.general.Quant", &ImportQuant},
          {"qonnx.custom_op.general.Trunc", &ImportTrunc}};
}

}  // namespace firmnet::onnx
