// Keras import of global_max_pool1d (GlobalMaxPooling1D).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_global_max_pool1d() {
  return {{"GlobalMaxPooling1D",
           [](KerasContext& ctx) { return ImportGlobalPool(ctx, LayerKind::kGlobalMaxPool1D); }}};
}

}  // namespace firmnet::keras
