// Keras import of global_avg_pool1d (GlobalAveragePooling1D).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_global_avg_pool1d() {
  return {{"GlobalAveragePooling1D",
           [](KerasContext& ctx) { return ImportGlobalPool(ctx, LayerKind::kGlobalAvgPool1D); }}};
}

}  // namespace firmnet::keras
