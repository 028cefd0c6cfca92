// Keras import of zero_pad1d (ZeroPadding1D).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_zero_pad1d() {
  return {{"ZeroPadding1D", [](KerasContext& ctx) {
             return ImportPadOrCrop(ctx, LayerKind::kZeroPad1D, 1, "padding", "pads");
           }}};
}

}  // namespace firmnet::keras
