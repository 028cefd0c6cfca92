// Keras import of max_pool2d (MaxPooling2D).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_max_pool2d() {
  return {{"MaxPooling2D",
           [](KerasContext& ctx) { return ImportPool(ctx, LayerKind::kMaxPool2D, 2); }}};
}

}  // namespace firmnet::keras
