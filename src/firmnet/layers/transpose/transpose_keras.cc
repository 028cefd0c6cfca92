// Keras import of transpose: Permute (`dims` count from 1, the batch axis excluded).
#include "firmnet/frontend/keras/keras_context.h"

namespace firmnet::keras {
namespace {

Status ImportPermute(KerasContext& ctx) {
  const size_t rank = ctx.input_shape().size();
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> dims, ctx.Ints("dims", rank, 1));
  for (int64_t& d : dims) --d;
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = LayerKind::kTranspose;
  node.attrs["perm"] = dims;
  return ctx.Emit(std::move(node)).status();
}

}  // namespace

std::vector<KerasRule> KerasRules_transpose() { return {{"Permute", &ImportPermute}}; }

}  // namespace firmnet::keras
