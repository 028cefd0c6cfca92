// Keras import of upsampling2d (UpSampling2D).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_upsampling2d() {
  return {{"UpSampling2D",
           [](KerasContext& ctx) { return ImportUpSampling(ctx, LayerKind::kUpSampling2D, 2); }}};
}

}  // namespace firmnet::keras
