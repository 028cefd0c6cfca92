// Keras import of dense: Dense (kernel [n_in, units], optional bias, optional activation=).
#include "firmnet/frontend/keras/keras_context.h"

namespace firmnet::keras {
namespace {

Status ImportDense(KerasContext& ctx) {
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
  return ctx.EmitWithActivation(std::move(node));
}

}  // namespace

std::vector<KerasRule> KerasRules_dense() { return {{"Dense", &ImportDense}}; }

}  // namespace firmnet::keras
