// Keras import of conv2d: Conv2D (frontend/keras/keras_spatial.h).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_conv2d() {
  return {{"Conv2D", [](KerasContext& c) { return ImportConv(c, 2, false); }},
          {"QConv2D", [](KerasContext& c) { return ImportConv(c, 2, false); }}};
}

}  // namespace firmnet::keras
