// Keras import of dense: Dense (kernel [n_in, units], optional bias, optional activation=), and
// its quantized forms: QKeras' QDense (kernel_quantizer, bias_quantizer) and the binary/ternary
// BinaryDense/TernaryDense of the Keras binary-network code hls4ml reads.
#include "firmnet/frontend/keras/keras_context.h"
#include "firmnet/frontend/keras/qkeras_layers.h"

namespace firmnet::keras {
namespace {

// hls4ml's BinaryQuantizer(bits=2) (x >= 0 -> +1, else -1) and TernaryQuantizer (x > 0.5 -> +1,
// x <= -0.5 -> -1, else 0) for BinaryDense/TernaryDense weights; ap_int<2> holds the values.
enum class Levels { kAny, kBinary, kTernary };

double Binarize(double x) { return x >= 0 ? 1.0 : -1.0; }
double Ternarize(double x) { return x > 0.5 ? 1.0 : (x <= -0.5 ? -1.0 : 0.0); }

Status ImportDenseLevels(KerasContext& ctx, Levels levels) {
  const ir::Shape& in = ctx.input_shape();
  if (in.size() != 1) {
    return ctx.Error("input has shape " + ir::FormatShape(in) +
                     "; Dense needs a 1-D input (add a Flatten before it)");
  }
  FIRMNET_ASSIGN_OR_RETURN(int64_t units, ctx.Integer("units"));
  if (units <= 0 || units > kMaxDim) {
    return ctx.Error("'units' must be positive, got " + std::to_string(units));
  }
  FIRMNET_ASSIGN_OR_RETURN(bool use_bias, ctx.Bool("use_bias", true));
  // Check the activation before reading weights so that the error names the real problem.
  FIRMNET_RETURN_IF_ERROR(ctx.ActivationName().status());
  std::set<std::string> required = {"kernel"};
  if (use_bias) required.insert("bias");
  FIRMNET_ASSIGN_OR_RETURN(auto w, ctx.LoadWeights({"kernel", "bias"}, required));
  FIRMNET_RETURN_IF_ERROR(ctx.CheckShape("kernel", w["kernel"], {in[0], units}));
  ir::Tensor bias;
  if (use_bias) {
    bias = std::move(w["bias"]);
    FIRMNET_RETURN_IF_ERROR(ctx.CheckShape("bias", bias, {units}));
  } else {
    bias.shape = {units};
    bias.data.assign(static_cast<size_t>(units), 0.0);
  }
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = LayerKind::kDense;
  node.weights["weight"] = std::move(w["kernel"]);
  node.weights["bias"] = std::move(bias);
  if (levels != Levels::kAny) {
    const bool binary = levels == Levels::kBinary;
    const auto quantize = [binary](ir::Tensor& t) {
      for (double& v : t.data) v = binary ? Binarize(v) : Ternarize(v);
      t.reference.clear();
    };
    quantize(node.weights["weight"]);
    node.attrs["weight_quantizer"] = std::string(binary ? "binary" : "ternary");
    node.model_precision["weight"] = *MakeFixedType(2, 2, true);
    if (use_bias) {
      quantize(node.weights["bias"]);
      node.model_precision["bias"] = *MakeFixedType(2, 2, true);
    } else {
      node.model_precision["bias"] = *MakeFixedType(1, 1, false);  // hls4ml's missing bias
    }
  } else {
    FIRMNET_RETURN_IF_ERROR(
        ApplyWeightQuantizer(ctx, node, "kernel_quantizer", "weight", "weight"));
    FIRMNET_RETURN_IF_ERROR(ApplyWeightQuantizer(ctx, node, "bias_quantizer", "bias", "bias"));
  }
  return ctx.EmitWithActivation(std::move(node));
}

}  // namespace

std::vector<KerasRule> KerasRules_dense() {
  return {{"Dense", [](KerasContext& c) { return ImportDenseLevels(c, Levels::kAny); }},
          {"QDense", [](KerasContext& c) { return ImportDenseLevels(c, Levels::kAny); }},
          {"BinaryDense", [](KerasContext& c) { return ImportDenseLevels(c, Levels::kBinary); }},
          {"TernaryDense", [](KerasContext& c) { return ImportDenseLevels(c, Levels::kTernary); }}};
}

}  // namespace firmnet::keras
