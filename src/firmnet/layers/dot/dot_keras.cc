// Keras import of dot: Dot of two vectors (axes 1 or -1, normalize=false), as hls4ml builds it.
#include "firmnet/frontend/keras/keras_context.h"

namespace firmnet::keras {
namespace {

Status ImportDot(KerasContext& ctx) {
  FIRMNET_ASSIGN_OR_RETURN(bool normalize, ctx.Bool("normalize", false));
  if (normalize) return ctx.Error("normalize=true (cosine similarity) is not supported");
  const nlohmann::json* axes = ctx.Find("axes");
  auto last = [](const nlohmann::json& a) {
    return a.is_number_integer() && (a.get<int64_t>() == 1 || a.get<int64_t>() == -1);
  };
  if (axes != nullptr && !(last(*axes) || (axes->is_array() && axes->size() == 2 &&
                                           last((*axes)[0]) && last((*axes)[1])))) {
    return ctx.Error("axes " + axes->dump() + " are not supported (the last axis of two vectors)");
  }
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = LayerKind::kDot;
  return ctx.Emit(std::move(node)).status();
}

}  // namespace

std::vector<KerasRule> KerasRules_dot() { return {{"Dot", &ImportDot}}; }

}  // namespace firmnet::keras
