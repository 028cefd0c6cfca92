// Keras import of softmax: the Softmax layer class, over the last axis only.
#include "firmnet/frontend/keras/keras_context.h"
#include "firmnet/frontend/keras/keras_shapes.h"

namespace firmnet::keras {
namespace {

Status ImportSoftmax(KerasContext& ctx) {
  FIRMNET_RETURN_IF_ERROR(RequireLastAxis(ctx));
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = LayerKind::kSoftmax;
  node.attrs["axis"] = int64_t{-1};
  return ctx.Emit(std::move(node)).status();
}

}  // namespace

std::vector<KerasRule> KerasRules_softmax() { return {{"Softmax", &ImportSoftmax}}; }

}  // namespace firmnet::keras
