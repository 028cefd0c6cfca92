// Keras import of global_max_pool2d (GlobalMaxPooling2D).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_global_max_pool2d() {
  return {{"GlobalMaxPooling2D",
           [](KerasContext& ctx) { return ImportGlobalPool(ctx, LayerKind::kGlobalMaxPool2D); }}};
}

}  // namespace firmnet::keras
