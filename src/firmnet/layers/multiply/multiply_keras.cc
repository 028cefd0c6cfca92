// Keras import of multiply (Multiply).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_multiply() {
  return {{"Multiply", [](KerasContext& ctx) { return ImportMerge(ctx, LayerKind::kMultiply); }}};
}

}  // namespace firmnet::keras
