// Keras import of avg_pool2d (AveragePooling2D).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_avg_pool2d() {
  return {{"AveragePooling2D",
           [](KerasContext& ctx) { return ImportPool(ctx, LayerKind::kAvgPool2D, 2); }}};
}

}  // namespace firmnet::keras
