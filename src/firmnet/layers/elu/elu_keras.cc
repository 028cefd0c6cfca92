// Keras import of elu: the ELU layer class (alpha, default 1).
#include "firmnet/frontend/keras/keras_context.h"

namespace firmnet::keras {
namespace {

Status ImportElu(KerasContext& ctx) {
  FIRMNET_ASSIGN_OR_RETURN(double alpha, ctx.Number("alpha", 1.0));
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = LayerKind::kElu;
  node.attrs["alpha"] = alpha;
  return ctx.Emit(std::move(node)).status();
}

}  // namespace

std::vector<KerasRule> KerasRules_elu() { return {{"ELU", &ImportElu}}; }

}  // namespace firmnet::keras
