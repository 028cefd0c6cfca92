// Keras import of cropping2d (Cropping2D).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_cropping2d() {
  return {{"Cropping2D", [](KerasContext& ctx) {
             return ImportPadOrCrop(ctx, LayerKind::kCropping2D, 2, "cropping", "crops");
           }}};
}

}  // namespace firmnet::keras
