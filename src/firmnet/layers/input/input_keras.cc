// Keras import of input: InputLayer (`batch_input_shape`, Keras 3 `batch_shape`).
#include "firmnet/frontend/keras/keras_context.h"
#include "firmnet/frontend/keras/keras_shapes.h"

namespace firmnet::keras {
namespace {

Status ImportInputLayer(KerasContext& ctx) {
  const nlohmann::json* bs = ctx.Find("batch_input_shape");
  if (bs == nullptr) bs = ctx.Find("batch_shape");  // Keras 3 spelling
  if (bs == nullptr) return ctx.Error("missing 'batch_input_shape'");
  FIRMNET_ASSIGN_OR_RETURN(ir::Shape shape, BatchShape(ctx, *bs));
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = LayerKind::kInput;
  node.shape = shape;
  return ctx.Emit(std::move(node)).status();
}

}  // namespace

std::vector<KerasRule> KerasRules_input() { return {{"InputLayer", &ImportInputLayer}}; }

}  // namespace firmnet::keras
