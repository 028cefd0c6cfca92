// Keras import of add (Add).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_add() {
  return {{"Add", [](KerasContext& ctx) { return ImportMerge(ctx, LayerKind::kAdd); }}};
}

}  // namespace firmnet::keras
