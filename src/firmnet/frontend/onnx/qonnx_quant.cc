#include "firmnet/frontend/onnx/qonnx_quant.h"

#include <cmath>

#include "firmnet/ir/printer.h"

namespace firmnet::onnx {

namespace {

bool AllEqual(const ir::Tensor& t) {
  for (double v : t.data) {
    if (v != t.data[0]) return false;
  }
  return !t.data.empty();
}

// The flat index into `small` (numpy broadcasting: shapes aligned at the right) of element
// `flat` of a tensor of shape `big`.
size_t BroadcastIndex(const ir::Shape& big, const ir::Shape& small, size_t flat) {
  size_t idx = 0;
  size_t stride = 1;
  size_t rest = flat;
  for (size_t k = 0; k < big.size(); ++k) {
    const size_t axis = big.size() - 1 - k;
    const auto coord = static_cast<size_t>(rest % static_cast<size_t>(big[axis]));
    rest /= static_cast<size_t>(big[axis]);
    if (k < small.size()) {
      const auto dim = static_cast<size_t>(small[small.size() - 1 - k]);
      if (dim != 1) idx += coord * stride;
      stride *= dim;
    }
  }
  return idx;
}

Status CheckBroadcast(const OnnxContext& ctx, const ir::Shape& big, const ir::Tensor& t,
                      const std::string& role) {
  bool ok = t.shape.size() <= big.size();
  for (size_t k = 0; ok && k < t.shape.size(); ++k) {
    const int64_t d = t.shape[t.shape.size() - 1 - k];
    ok = d == 1 || d == big[big.size() - 1 - k];
  }
  if (!ok) {
    return ctx.Err(StatusCode::kInvalidArgument, role + " has shape " + Join(t.shape) +
                                                     ", which does not broadcast to the input " +
                                                     Join(big));
  }
  return OkStatus();
}

// Rounds v to an integer by QONNX's mode.
double RoundBy(QonnxRounding r, double v) {
  switch (r) {
    case QonnxRounding::kRound:
      return std::nearbyint(v);  // ties to even (the default FP rounding mode)
    case QonnxRounding::kFloor:
      return std::floor(v);
    case QonnxRounding::kCeil:
      return std::ceil(v);
    case QonnxRounding::kHalfUp:
      return std::copysign(std::floor(std::fabs(v) + 0.5), v);
    case QonnxRounding::kHalfDown:
      return std::copysign(std::ceil(std::fabs(v) - 0.5), v);
    case QonnxRounding::kUp:
      return std::copysign(std::ceil(std::fabs(v)), v);
    case QonnxRounding::kDown:
      return std::trunc(v);
  }
  return v;
}

}  // namespace

double QuantParams::MinInt() const {
  if (!is_signed) return 0;
  return -std::ldexp(1.0, bits - 1) + (narrow ? 1 : 0);
}

double QuantParams::MaxInt() const {
  if (!is_signed) return std::ldexp(1.0, bits) - 1 - (narrow ? 1 : 0);
  return std::ldexp(1.0, bits - 1) - 1;
}

std::optional<double> QuantParams::UniformScale() const {
  if (!AllEqual(scale)) return std::nullopt;
  return scale.data[0];
}

std::optional<double> QuantParams::UniformZeropt() const {
  if (!AllEqual(zeropt)) return std::nullopt;
  return zeropt.data[0];
}

std::optional<int> QuantParams::Po2Exponent() const {
  const auto s = UniformScale();
  const auto z = UniformZeropt();
  if (!s || !z || *z != 0 || !(*s > 0)) return std::nullopt;
  int e = 0;
  const double m = std::frexp(*s, &e);
  if (m != 0.5) return std::nullopt;
  return e - 1;
}

Status ReadQonnxRounding(const OnnxContext& ctx, const NodeProto& n, const std::string& dflt,
                         QuantParams& p) {
  std::string mode = ctx.AttrString(n, "rounding_mode", dflt);
  for (char& c : mode) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  p.rounding_name = mode;
  if (mode == "ROUND" || mode == "HALF_EVEN") {
    p.rounding = QonnxRounding::kRound;
  } else if (mode == "FLOOR") {
    p.rounding = QonnxRounding::kFloor;
  } else if (mode == "CEIL") {
    p.rounding = QonnxRounding::kCeil;
  } else if (mode == "HALF_UP") {
    p.rounding = QonnxRounding::kHalfUp;
  } else if (mode == "HALF_DOWN") {
    p.rounding = QonnxRounding::kHalfDown;
  } else if (mode == "UP") {
    p.rounding = QonnxRounding::kUp;
  } else if (mode == "DOWN" || mode == "ROUND_TO_ZERO") {
    p.rounding = QonnxRounding::kDown;
  } else {
    return ctx.Err(StatusCode::kInvalidArgument,
                   "rounding_mode '" + mode +
                       "' is not a QONNX rounding mode (ROUND, HALF_EVEN, FLOOR, CEIL, HALF_UP, "
                       "HALF_DOWN, UP, DOWN, ROUND_TO_ZERO)");
  }
  return OkStatus();
}

StatusOr<QuantParams> ReadQuantParams(const OnnxContext& ctx, const NodeProto& n) {
  QuantParams p;
  FIRMNET_ASSIGN_OR_RETURN(p.scale, ctx.ConstIn(n, 1, "scale"));
  FIRMNET_ASSIGN_OR_RETURN(p.zeropt, ctx.ConstIn(n, 2, "zero point"));
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor bw, ctx.ConstIn(n, 3, "bit width"));
  if (bw.data.size() != 1) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "bit width '" + n.input(3) + "' has shape " + Join(bw.shape) +
                       "; firmnet (as hls4ml) needs one bit width per Quant node");
  }
  const double b = bw.data[0];
  if (b != std::floor(b) || b < 1 || b > 32) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "bit width " + ir::FormatDoubleShortest(b) + " is not an integer from 1 to 32");
  }
  p.bits = static_cast<int>(b);
  for (double s : p.scale.data) {
    if (!(s > 0) || !std::isfinite(s)) {
      return ctx.Err(StatusCode::kInvalidArgument, "scale '" + n.input(1) + "' has the value " +
                                                       ir::FormatDoubleShortest(s) +
                                                       "; scales must be positive and finite");
    }
  }
  for (double z : p.zeropt.data) {
    if (z != std::floor(z)) {
      return ctx.Err(StatusCode::kInvalidArgument,
                     "zero point '" + n.input(2) + "' has the value " +
                         ir::FormatDoubleShortest(z) + "; zero points must be integers");
    }
  }
  FIRMNET_ASSIGN_OR_RETURN(int64_t is_signed, ctx.AttrInt(n, "signed", 1));
  FIRMNET_ASSIGN_OR_RETURN(int64_t narrow, ctx.AttrInt(n, "narrow", 0));
  if ((is_signed != 0 && is_signed != 1) || (narrow != 0 && narrow != 1)) {
    return ctx.Err(StatusCode::kInvalidArgument,
                   "attributes 'signed' and 'narrow' must be 0 or 1 (signed=" +
                       std::to_string(is_signed) + ", narrow=" + std::to_string(narrow) + ")");
  }
  p.is_signed = is_signed == 1;
  p.narrow = narrow == 1;
  if (!p.is_signed && p.narrow && p.bits == 1) {
    return ctx.Err(
        StatusCode::kInvalidArgument,
        "an unsigned narrow 1-bit Quant has no values (signed=0, narrow=1, bit width 1)");
  }
  FIRMNET_RETURN_IF_ERROR(ReadQonnxRounding(ctx, n, "ROUND", p));
  return p;
}

double QuantInt(const QuantParams& p, float v) {
  // Clip, then round (QONNX's order; the bounds are integers, so the order does not matter).
  const double c = std::min(std::max(static_cast<double>(v), p.MinInt()), p.MaxInt());
  return RoundBy(p.rounding, c);
}

StatusOr<ir::Tensor> QuantConstant(const OnnxContext& ctx, const NodeProto& n, const QuantParams& p,
                                   const ir::Tensor& x, bool integers) {
  FIRMNET_RETURN_IF_ERROR(CheckBroadcast(ctx, x.shape, p.scale, "scale '" + n.input(1) + "'"));
  FIRMNET_RETURN_IF_ERROR(
      CheckBroadcast(ctx, x.shape, p.zeropt, "zero point '" + n.input(2) + "'"));
  ir::Tensor out;
  out.shape = x.shape;
  out.data.resize(x.data.size());
  for (size_t i = 0; i < x.data.size(); ++i) {
    const auto s = static_cast<float>(p.scale.data[BroadcastIndex(x.shape, p.scale.shape, i)]);
    const auto z = static_cast<float>(p.zeropt.data[BroadcastIndex(x.shape, p.zeropt.shape, i)]);
    const float v = static_cast<float>(x.data[i]) / s + z;
    const double q = QuantInt(p, v);
    out.data[i] = integers ? q : static_cast<double>(static_cast<float>((q - z) * s));
  }
  return out;
}

StatusOr<FixedType> QuantType(const OnnxContext& ctx, const QuantParams& p, int e) {
  Rounding r = Rounding::kTrn;
  switch (p.rounding) {
    case QonnxRounding::kRound:
      r = Rounding::kRndConv;
      break;
    case QonnxRounding::kFloor:
      r = Rounding::kTrn;
      break;
    case QonnxRounding::kHalfUp:
      r = Rounding::kRndInf;
      break;
    case QonnxRounding::kHalfDown:
      r = Rounding::kRndZero;
      break;
    case QonnxRounding::kDown:
      r = Rounding::kTrnZero;
      break;
    case QonnxRounding::kCeil:
    case QonnxRounding::kUp:
      return ctx.Err(StatusCode::kUnimplemented,
                     "rounding_mode '" + p.rounding_name +
                         "' on a layer output has no ap_fixed rounding mode (ROUND, FLOOR, "
                         "HALF_UP, HALF_DOWN and DOWN have)");
  }
  if (p.narrow && !p.is_signed) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "narrow=1 with signed=0 (largest value 2^b - 2) has no ap_fixed overflow mode; "
                   "hls4ml supports narrow ranges of signed Quants only");
  }
  auto t = MakeFixedType(p.bits, p.bits + e, p.is_signed, r,
                         p.narrow ? Overflow::kSatSym : Overflow::kSat);
  if (!t.ok()) return ctx.Err(StatusCode::kInvalidArgument, t.status().message());
  return *t;
}

}  // namespace firmnet::onnx
