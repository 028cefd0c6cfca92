// Keras import of upsampling1d (UpSampling1D).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_upsampling1d() {
  return {{"UpSampling1D",
           [](KerasContext& ctx) { return ImportUpSampling(ctx, LayerKind::kUpSampling1D, 1); }}};
}

}  // namespace firmnet::keras
