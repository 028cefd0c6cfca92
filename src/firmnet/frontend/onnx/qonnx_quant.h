// QONNX's quantizers (qonnx.custom_op.general Quant, BipolarQuant, Trunc) as firmnet imports
// them: the parameters of a node, its arithmetic on constants, and the fixed-point type an
// activation Quant becomes (docs/semantics.md, "QONNX quantizers").
//
// Quant(x, scale, zeropt, bitwidth; signed, narrow, rounding_mode):
//   q = clip(round(x / scale + zeropt), min_int, max_int);  y = (q - zeropt) * scale
//   min_int = signed ? -2^(b-1) + narrow : 0;  max_int = signed ? 2^(b-1) - 1 : 2^b - 1 - narrow
// A uniform power-of-two scale 2^e with zero point 0 is the type ap_fixed<b, b + e> (ap_ufixed
// unsigned) with the rounding the mode names and AP_SAT (AP_SAT_SYM when narrow), as hls4ml maps
// it; other scales and zero points are explicit scale steps around the integer type
// ap_fixed<b, b>.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "firmnet/fixed/fixed_type.h"
#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

// QONNX's rounding modes.
enum class QonnxRounding { kRound, kFloor, kCeil, kHalfUp, kHalfDown, kUp, kDown };

struct QuantParams {
  ir::Tensor scale;   // as given (scalar or broadcastable)
  ir::Tensor zeropt;  // as given
  int bits = 0;
  bool is_signed = true;
  bool narrow = false;
  QonnxRounding rounding = QonnxRounding::kRound;
  std::string rounding_name = "ROUND";

  double MinInt() const;
  double MaxInt() const;
  // e when every scale is the same power of two 2^e and every zero point is 0.
  std::optional<int> Po2Exponent() const;
  // The one scale / zero point when every entry is the same.
  std::optional<double> UniformScale() const;
  std::optional<double> UniformZeropt() const;
};

// Reads input 1..3 and the attributes of a Quant node; errors name the node and the input.
// The rounding_mode attribute of a Quant or Trunc node (`dflt` when absent) into p.rounding and
// p.rounding_name; an unknown mode is an error naming it.
Status ReadQonnxRounding(const OnnxContext& ctx, const NodeProto& n, const std::string& dflt,
                         QuantParams& p);
StatusOr<QuantParams> ReadQuantParams(const OnnxContext& ctx, const NodeProto& n);

// The integer q = clip(round(v), min_int, max_int) of one value v = x / s + z (float32 as
// QONNX computes it).
double QuantInt(const QuantParams& p, float v);
// Quant applied to constant `x` (scale and zero point broadcast against it): the dequantized
// values, or, with `integers`, the integers q. Errors name the node.
StatusOr<ir::Tensor> QuantConstant(const OnnxContext& ctx, const NodeProto& n, const QuantParams& p,
                                   const ir::Tensor& x, bool integers);
// The type of a Quant whose values are k * 2^e for integers k in [min_int, max_int]: an error
// naming the node when no ap_fixed mode does what the node's rounding mode or narrow range
// does.
StatusOr<FixedType> QuantType(const OnnxContext& ctx, const QuantParams& p, int e);

}  // namespace firmnet::onnx
