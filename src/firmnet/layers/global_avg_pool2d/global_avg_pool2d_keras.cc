// Keras import of global_avg_pool2d (GlobalAveragePooling2D).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_global_avg_pool2d() {
  return {{"GlobalAveragePooling2D",
           [](KerasContext& ctx) { return ImportGlobalPool(ctx, LayerKind::kGlobalAvgPool2D); }}};
}

}  // namespace firmnet::keras
