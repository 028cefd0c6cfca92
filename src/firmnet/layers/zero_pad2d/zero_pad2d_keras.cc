// Keras import of zero_pad2d (ZeroPadding2D).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_zero_pad2d() {
  return {{"ZeroPadding2D", [](KerasContext& ctx) {
             return ImportPadOrCrop(ctx, LayerKind::kZeroPad2D, 2, "padding", "pads");
           }}};
}

}  // namespace firmnet::keras
