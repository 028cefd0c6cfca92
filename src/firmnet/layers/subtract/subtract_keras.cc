// Keras import of subtract (Subtract).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_subtract() {
  return {{"Subtract", [](KerasContext& ctx) { return ImportMerge(ctx, LayerKind::kSubtract); }}};
}

}  // namespace firmnet::keras
