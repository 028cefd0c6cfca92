// Keras import of average (Average).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_average() {
  return {{"Average", [](KerasContext& ctx) { return ImportMerge(ctx, LayerKind::kAverage); }}};
}

}  // namespace firmnet::keras
