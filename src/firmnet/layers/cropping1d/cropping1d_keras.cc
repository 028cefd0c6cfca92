// Keras import of cropping1d (Cropping1D).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_cropping1d() {
  return {{"Cropping1D", [](KerasContext& ctx) {
             return ImportPadOrCrop(ctx, LayerKind::kCropping1D, 1, "cropping", "crops");
           }}};
}

}  // namespace firmnet::keras
