// Keras import of leaky_relu: LeakyReLU (Keras 2 `alpha`, default 0.3; Keras 3 `negative_slope`).
#include "firmnet/frontend/keras/keras_context.h"

namespace firmnet::keras {
namespace {

Status ImportLeakyRelu(KerasContext& ctx) {
  double alpha = 0.3;
  if (ctx.Find("alpha") != nullptr) {
    FIRMNET_ASSIGN_OR_RETURN(alpha, ctx.Number("alpha", 0.3));
  } else {
    FIRMNET_ASSIGN_OR_RETURN(alpha, ctx.Number("negative_slope", 0.3));
  }
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = LayerKind::kLeakyRelu;
  node.attrs["alpha"] = alpha;
  return ctx.Emit(std::move(node)).status();
}

}  // namespace

std::vector<KerasRule> KerasRules_leaky_relu() { return {{"LeakyReLU", &ImportLeakyRelu}}; }

}  // namespace firmnet::keras
