// Keras import of avg_pool1d (AveragePooling1D).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_avg_pool1d() {
  return {{"AveragePooling1D",
           [](KerasContext& ctx) { return ImportPool(ctx, LayerKind::kAvgPool1D, 1); }}};
}

}  // namespace firmnet::keras
