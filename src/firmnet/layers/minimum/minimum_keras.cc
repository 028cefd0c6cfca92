// Keras import of minimum (Minimum).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_minimum() {
  return {{"Minimum", [](KerasContext& ctx) { return ImportMerge(ctx, LayerKind::kMinimum); }}};
}

}  // namespace firmnet::keras
