#include "firmnet/frontend/keras/qkeras_layers.h"

#include <algorithm>

#include "firmnet/frontend/keras/qkeras_quantizer.h"

namespace firmnet::keras {
namespace {

using Kind = QKerasQuantizer::Kind;

// "model.json: layer 'fc1' (QDense): kernel_quantizer", the prefix of quantizer errors.
std::string Where(const KerasContext& ctx, const std::string& key) {
  std::string prefix = ctx.Error("").message();
  // Error("") ends with ": "; the key completes it.
  return prefix + key;
}

Status Unsupported(const KerasContext& ctx, const std::string& key, const QKerasQuantizer& q,
                   const std::string& what) {
  return ctx.Error(key + ": " + q.class_name + " " + what);
}

}  // namespace

Status ApplyWeightQuantizer(KerasContext& ctx, ir::Node& node, const char* config_key,
                            const std::string& weight, const std::string& slot) {
  const nlohmann::json* j = ctx.Find(config_key);
  if (j == nullptr || j->is_null()) return OkStatus();
  const std::string where = Where(ctx, config_key);
  FIRMNET_ASSIGN_OR_RETURN(QKerasQuantizer q, ParseQKerasQuantizer(*j, where));
  if (!q.has_unit_alpha()) {
    return Unsupported(ctx, config_key, q,
                       "with alpha other than 1 or None is not supported yet (hls4ml moves the "
                       "scale into a separate layer); retrain with alpha=1");
  }
  if (slot == "bias") {
    FIRMNET_ASSIGN_OR_RETURN(bool use_bias, ctx.Bool("use_bias", true));
    if (!use_bias) {
      // hls4ml gives a missing bias zeros of type ap_uint<1> and does not quantize them.
      node.model_precision[slot] = *MakeFixedType(1, 1, false);
      return OkStatus();
    }
  }
  auto it = node.weights.find(weight);
  if (it == node.weights.end()) return Internal(where + ": no weight '" + weight + "'");
  ir::Tensor& t = it->second;
  const int64_t channels = t.shape.empty() ? 1 : t.shape.back();
  FIRMNET_ASSIGN_OR_RETURN(t.data, QuantizeValues(q, t.data, channels, where));
  t.reference.clear();
  FIRMNET_ASSIGN_OR_RETURN(node.model_precision[slot], WeightType(q, where));
  // hls4ml multiplies by a po2 kernel with a shift (ExponentPrecisionType, weight_exponential).
  if (q.kind == Kind::kQuantizedPo2 && slot == "weight") {
    node.attrs["po2_weight_bits"] = int64_t{q.bits};
  }
  // A binary kernel is hls4ml's XNOR type, which its precision inference does not read.
  if (q.kind == Kind::kBinary && slot == "weight")
    node.attrs["weight_quantizer"] = std::string("xnor");
  return OkStatus();
}

bool IsQKerasActivation(const nlohmann::json& a) {
  if (a.is_object()) return true;
  if (!a.is_string()) return false;
  const std::string s = a.get<std::string>();
  for (const char* prefix : {"quantized_", "binary", "ternary", "stochastic_"}) {
    if (s.rfind(prefix, 0) == 0) return s != "binary_tanh" && s != "ternary_tanh";
  }
  return false;
}

StatusOr<std::string> EmitQKerasActivation(KerasContext& ctx, const nlohmann::json& activation,
                                           const std::string& name, const std::string& input) {
  const std::string key = "activation";
  FIRMNET_ASSIGN_OR_RETURN(QKerasQuantizer q, ParseQKerasQuantizer(activation, Where(ctx, key)));
  ir::Node node;
  node.name = name;
  node.inputs = {input};
  switch (q.kind) {
    case Kind::kQuantizedRelu:
      if (q.use_sigmoid) return Unsupported(ctx, key, q, "with use_sigmoid is not supported");
      if (q.negative_slope != 0.0) {
        node.kind = LayerKind::kLeakyRelu;
        node.attrs["alpha"] = q.negative_slope;
      } else {
        node.kind = LayerKind::kRelu;
      }
      break;
    case Kind::kQuantizedBits:
      if (!q.has_unit_alpha()) {
        return Unsupported(ctx, key, q, "with alpha other than 1 is not supported");
      }
      node.kind = LayerKind::kLinear;
      break;
    case Kind::kBinary:
      if (q.use_01) return Unsupported(ctx, key, q, "with use_01=True is not supported");
      node.kind = LayerKind::kBinaryTanh;
      break;
    case Kind::kTernary:
      if (q.threshold && *q.threshold != 0.5) {
        return Unsupported(ctx, key, q, "with a threshold other than 0.5 is not supported yet");
      }
      if (!q.threshold && q.class_name == "ternary") {
        return Unsupported(ctx, key, q,
                           "without threshold=0.5 is not supported yet (hls4ml's default "
                           "threshold for it is 0.33)");
      }
      node.kind = LayerKind::kTernaryTanh;
      break;
    case Kind::kQuantizedTanh:
      if (q.use_real) {
        node.kind = LayerKind::kTanh;  // hls4ml's Activation('tanh'), its table
      } else {
        // hls4ml's HardActivation hard_tanh: 2 * clip(0.5 * x + 0.5, 0, 1) - 1 with slope and
        // shift 0.5 in ap_ufixed<2,0> and the arithmetic exact, which is clip(x, -1, 1).
        node.kind = LayerKind::kClip;
        node.attrs["min"] = -1.0;
        node.attrs["max"] = 1.0;
        node.model_precision["param"] = *MakeFixedType(2, 2, true);
      }
      break;
    case Kind::kQuantizedSigmoid:
      if (q.use_real) {
        node.kind = LayerKind::kSigmoid;  // hls4ml's Activation('sigmoid'), its table
      } else {
        // hls4ml's HardActivation hard_sigmoid: clip(0.5 * x + 0.5, 0, 1), slope and shift in
        // ap_ufixed<2,0> (QKeras' hard sigmoid).
        node.kind = LayerKind::kHardSigmoid;
        node.attrs["alpha"] = 0.5;
        node.attrs["beta"] = 0.5;
        node.model_precision["param"] = *MakeFixedType(2, 0, false);
      }
      break;
    default:
      return Unsupported(ctx, key, q,
                         "is not supported as an activation yet (supported: quantized_relu, "
                         "quantized_bits, quantized_tanh, quantized_sigmoid, binary, ternary)");
  }
  FIRMNET_ASSIGN_OR_RETURN(node.model_precision["result"], ActivationType(q, Where(ctx, key)));
  return ctx.Emit(std::move(node));
}

Status ImportQActivation(KerasContext& ctx) {
  const nlohmann::json* a = ctx.Find("activation");
  if (a == nullptr || a->is_null()) return ctx.Error("'activation' is missing");
  if (a->is_string() && !IsQKerasActivation(*a)) {
    // A plain Keras activation inside a QActivation ("relu", "softmax").
    return ctx.EmitActivation(a->get<std::string>(), ctx.layer().name, ctx.input()).status();
  }
  return EmitQKerasActivation(ctx, *a, ctx.layer().name, ctx.input()).status();
}

}  // namespace firmnet::keras
