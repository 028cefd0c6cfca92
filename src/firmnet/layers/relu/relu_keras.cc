// Keras import of relu: the ReLU layer class. Its `max_value` makes a clip, its
// `negative_slope` a leaky_relu (the kinds that compute those).
#include "firmnet/frontend/keras/keras_context.h"

namespace firmnet::keras {
namespace {

Status ImportRelu(KerasContext& ctx) {
  FIRMNET_ASSIGN_OR_RETURN(double threshold, ctx.Number("threshold", 0.0));
  FIRMNET_ASSIGN_OR_RETURN(double slope, ctx.Number("negative_slope", 0.0));
  const nlohmann::json* mv = ctx.Find("max_value");
  std::optional<double> max_value;
  if (mv != nullptr && !mv->is_null()) {
    FIRMNET_ASSIGN_OR_RETURN(double m, ctx.Number("max_value", 0.0));
    max_value = m;
  }
  if (threshold != 0.0) return ctx.Error("a non-zero 'threshold' is not supported");
  ir::Node node;
  node.name = ctx.layer().name;
  if (max_value.has_value()) {
    if (slope != 0.0) {
      return ctx.Error("'max_value' together with 'negative_slope' is not supported");
    }
    if (*max_value <= 0.0) return ctx.Error("'max_value' must be positive");
    node.kind = LayerKind::kClip;
    node.attrs["min"] = 0.0;
    node.attrs["max"] = *max_value;
  } else if (slope != 0.0) {
    node.kind = LayerKind::kLeakyRelu;
    node.attrs["alpha"] = slope;
  } else {
    node.kind = LayerKind::kRelu;
  }
  return ctx.Emit(std::move(node)).status();
}

}  // namespace

std::vector<KerasRule> KerasRules_relu() { return {{"ReLU", &ImportRelu}}; }

}  // namespace firmnet::keras
