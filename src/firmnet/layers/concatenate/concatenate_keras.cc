// Keras import of concatenate: Concatenate. Keras's `axis` counts the batch axis; the IR's does
// not (negative axes are the same in both).
#include "firmnet/frontend/keras/keras_context.h"

namespace firmnet::keras {
namespace {

Status ImportConcatenate(KerasContext& ctx) {
  int64_t axis = -1;
  if (const auto* a = ctx.Find("axis"); a != nullptr && !a->is_null()) {
    FIRMNET_ASSIGN_OR_RETURN(axis, ctx.Integer("axis"));
  }
  if (axis == 0)
    return ctx.Error("axis 0 is the batch axis; concatenating samples is not supported");
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = LayerKind::kConcatenate;
  node.attrs["axis"] = axis > 0 ? axis - 1 : axis;
  return ctx.Emit(std::move(node)).status();
}

}  // namespace

std::vector<KerasRule> KerasRules_concatenate() { return {{"Concatenate", &ImportConcatenate}}; }

}  // namespace firmnet::keras
