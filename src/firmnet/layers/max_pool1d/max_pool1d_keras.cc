// Keras import of max_pool1d (MaxPooling1D).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_max_pool1d() {
  return {{"MaxPooling1D",
           [](KerasContext& ctx) { return ImportPool(ctx, LayerKind::kMaxPool1D, 1); }}};
}

}  // namespace firmnet::keras
