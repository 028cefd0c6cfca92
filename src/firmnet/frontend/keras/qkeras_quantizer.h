// QKeras quantizers, read from a model's JSON alone (no TensorFlow): what a QDense/QConv/
// QActivation/QBatchNormalization config names as `kernel_quantizer`, `bias_quantizer`,
// `activation`, ... (docs/semantics.md, "QKeras quantizers").
//
// A quantizer is written either as a serialized object
//   {"class_name": "quantized_bits", "config": {"bits": 6, "integer": 0, "alpha": 1, ...}}
// or as a string, QKeras' own shorthand
//   "quantized_relu(3,1)", "quantized_bits(8, 3, 1, alpha='auto_po2')", "binary", "ternary()"
// (positional arguments in the order of the QKeras constructor, then keyword arguments; values
// are numbers, True/False/None and quoted strings).
//
// Three things come out of one:
//   - QuantizeValues(): the values QKeras' forward pass returns (its float32 arithmetic, bit for
//     bit, straight-through-estimator sum included), for trained weights and for the float
//     reference of activations;
//   - WeightType(): the type hls4ml gives weights quantized by it (hls4ml's QKerasQuantizer /
//     QKerasBinaryQuantizer / QKerasPO2Quantizer `hls_type`);
//   - ActivationType(): the type hls4ml's config_from_keras_model writes for a layer's result
//     when it is quantized by it (`_get_precision_from_quantizer`, with its rounding and
//     saturation modes).
// The parameters and arithmetic are those of QKeras' qkeras/quantizers.py at commit 78ea90f
// (2025); where they differ from older releases the comments say so.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/fixed/fixed_type.h"

namespace firmnet::keras {

struct QKerasQuantizer {
  enum class Kind : uint8_t {
    kQuantizedBits,     // quantized_bits(bits=8, integer=0, symmetric=0, keep_negative=True,
                        //   alpha=None, use_stochastic_rounding=False, scale_axis=None,
                        //   qnoise_factor=1.0, var_name=None, use_ste=True, use_variables=False,
                        //   elements_per_scale=None, min_po2_exponent=None,
                        //   max_po2_exponent=None, post_training_scale=None)
    kQuantizedRelu,     // quantized_relu(bits=8, integer=0, use_sigmoid=0, negative_slope=0.0,
                        //   use_stochastic_rounding=False, relu_upper_bound=None,
                        //   is_quantized_clip=True, qnoise_factor=1.0, var_name=None,
                        //   use_ste=True, use_variables=False, enable_fast_inference=False)
    kQuantizedTanh,     // quantized_tanh(bits=8, use_stochastic_rounding=False, symmetric=False,
                        //   use_real_tanh=False); QKeras dropped its `integer` in 2021
    kQuantizedSigmoid,  // quantized_sigmoid(bits=8, symmetric=False, use_real_sigmoid=False,
                        //   use_stochastic_rounding=False)
    kQuantizedPo2,      // quantized_po2(bits=8, max_value=None, use_stochastic_rounding=False,
                        //   quadratic_approximation=False, log2_rounding="rnd",
                        //   qnoise_factor=1.0, var_name=None, use_ste=True, use_variables=False)
    kQuantizedReluPo2,  // quantized_relu_po2(bits=8, max_value=None, negative_slope=0, then as
                        //   quantized_po2 from use_stochastic_rounding on)
    kBinary,            // binary(use_01=False, alpha=None, use_stochastic_rounding=False,
                        //   scale_axis=None, elements_per_scale=None, min_po2_exponent=None,
                        //   max_po2_exponent=None) / binary_tanh (a function, no arguments)
    kTernary,           // ternary(alpha=None, threshold=None, use_stochastic_rounding=False,
                        //   number_of_unrolls=5) / ternary_tanh (hls4ml's name for ternary())
  };
  Kind kind = Kind::kQuantizedBits;
  // The name as the model wrote it ("quantized_bits", "binary_tanh", ...), for messages.
  std::string class_name;
  // binary_tanh / ternary_tanh: QKeras' function binary_tanh(x) = 2*round(hard_sigmoid(x)) - 1
  // (which maps 0 to -1, where binary() maps it to +1), and hls4ml's alias of ternary().
  bool is_function = false;

  int bits = 8;
  int integer = 0;
  bool symmetric = false;
  bool keep_negative = true;
  // alpha: unset (None) and 1 mean no scale; "auto" and "auto_po2" are per-output-channel
  // scales computed from the data (`alpha_mode`); a number other than 1 is a fixed scale.
  // binary/ternary distinguish None (they pass x through tanh first) from 1.
  enum class Alpha : uint8_t { kNone, kValue, kAuto, kAutoPo2 };
  Alpha alpha_mode = Alpha::kNone;
  double alpha = 1.0;
  double negative_slope = 0.0;             // quantized_relu, quantized_relu_po2 (0 or 2^k)
  std::optional<double> relu_upper_bound;  // quantized_relu (only without is_quantized_clip)
  bool is_quantized_clip = true;           // quantized_relu
  std::optional<double> max_value;         // quantized_po2 / quantized_relu_po2
  std::optional<double> threshold;         // ternary (None: 0.33)
  int number_of_unrolls = 5;               // ternary with alpha "auto"/"auto_po2"
  std::optional<int> min_po2_exponent;     // quantized_bits/binary with alpha "auto_po2"
  std::optional<int> max_po2_exponent;
  bool use_01 = false;       // binary
  bool use_real = false;     // quantized_tanh/sigmoid: use_real_tanh/_sigmoid
  bool use_sigmoid = false;  // quantized_relu
  bool use_ste = true;       // result x + (xq - x) (True) or xq (False)
  bool stochastic = false;   // use_stochastic_rounding (rejected on import)

  // hls4ml's handling of alpha: unset or exactly 1.
  bool has_unit_alpha() const {
    return alpha_mode == Alpha::kNone || (alpha_mode == Alpha::kValue && alpha == 1.0);
  }

  friend bool operator==(const QKerasQuantizer&, const QKerasQuantizer&) = default;
};

// Parses a quantizer from its JSON (object or string). `where` names it in errors
// ("model.json: layer 'fc1' (QDense): kernel_quantizer"); an unknown class, an unknown or
// mistyped parameter, or a value out of range (bits outside 1..32, integer > bits, ...) is an
// error naming the parameter and its value.
StatusOr<QKerasQuantizer> ParseQKerasQuantizer(const nlohmann::json& j, const std::string& where);

// QKeras' quantized values of `x` (row-major), computed in float32 as QKeras does; results are
// exactly float32 values. `channels` says how alpha="auto"/"auto_po2" (and ternary's automatic
// threshold) group the values: for a tensor of rank >= 2 it is the size of the last axis (one
// scale per last-axis channel, as QKeras does for channels_last); for a rank-1 tensor (a bias)
// pass 0: QKeras then starts from one scale for the whole vector and refines it per element.
// An x that is not a finite float32 value, or a size that `channels` does not divide, is an
// error naming `where`.
StatusOr<std::vector<double>> QuantizeValues(const QKerasQuantizer& q, std::span<const double> x,
                                             int64_t channels, const std::string& where);

// The same, with the scale QKeras keeps in the quantizer's `scale` attribute after the call,
// one entry per element of `x` (1 where the quantizer has none). hls4ml's QKerasFactorizeAlpha
// divides the weights by it and applies it after the layer (an ApplyAlpha layer).
struct QKerasQuantized {
  std::vector<double> values;
  std::vector<double> scale;
};
StatusOr<QKerasQuantized> QuantizeValuesAndScale(const QKerasQuantizer& q,
                                                 std::span<const double> x, int64_t channels,
                                                 const std::string& where);

// hls4ml's type for weights quantized by `q` (the weight/bias slot), e.g. quantized_bits(6,0)
// -> ap_fixed<6,1>; binary -> ap_int<2> holding -1/+1 (hls4ml's 1-bit XNOR encoding holds
// the same values); ternary -> ap_int<2>; quantized_po2(bits, max_value) -> the narrowest
// signed fixed type that holds every value the quantizer can produce exactly (hls4ml's
// ExponentPrecisionType stores the exponent instead). Alpha does not change the type: hls4ml
// divides a scaled weight by its scale (QuantizeValuesAndScale). An error names `where` when
// hls4ml has no type for it (quantized_relu, _tanh, _sigmoid, _relu_po2 as a weight quantizer,
// which hls4ml replaces by ap_fixed<16,6>) or when no type of at most 128 bits holds it.
StatusOr<FixedType> WeightType(const QKerasQuantizer& q, const std::string& where);

// hls4ml's type for a layer result quantized by `q` (QActivation), with its rounding and
// saturation modes: quantized_bits(b,i) -> ap_fixed<b,i+1,AP_RND_CONV,AP_SAT>,
// quantized_relu(b,i) -> ap_ufixed<b,i,AP_RND_CONV,AP_SAT>, binary/ternary -> ap_int<2>, ...
StatusOr<FixedType> ActivationType(const QKerasQuantizer& q, const std::string& where);

}  // namespace firmnet::keras
