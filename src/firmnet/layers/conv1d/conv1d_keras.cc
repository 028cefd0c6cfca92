// Keras import of conv1d: Conv1D (frontend/keras/keras_spatial.h).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_conv1d() {
  return {{"Conv1D", [](KerasContext& c) { return ImportConv(c, 1, false); }},
          {"QConv1D", [](KerasContext& c) { return ImportConv(c, 1, false); }}};
}

}  // namespace firmnet::keras
