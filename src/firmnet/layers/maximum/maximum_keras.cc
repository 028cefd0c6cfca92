// Keras import of maximum (Maximum).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_maximum() {
  return {{"Maximum", [](KerasContext& ctx) { return ImportMerge(ctx, LayerKind::kMaximum); }}};
}

}  // namespace firmnet::keras
