// Keras import of depthwise_conv2d: DepthwiseConv2D, and SeparableConv2D as a depthwise then a 1x1
// Conv2D (frontend/keras/keras_spatial.h).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_depthwise_conv2d() {
  return {{"DepthwiseConv2D", [](KerasContext& c) { return ImportConv(c, 2, true); }},
          {"QDepthwiseConv2D", [](KerasContext& c) { return ImportConv(c, 2, true); }},
          {"SeparableConv2D", [](KerasContext& c) { return ImportSeparableConv(c, 2); }},
          {"QSeparableConv2D", [](KerasContext& c) { return ImportSeparableConv(c, 2); }}};
}

}  // namespace firmnet::keras
