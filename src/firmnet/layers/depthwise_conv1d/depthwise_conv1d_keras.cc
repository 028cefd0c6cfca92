// Keras import of depthwise_conv1d: DepthwiseConv1D, and SeparableConv1D as a depthwise then a 1x1
// Conv1D (frontend/keras/keras_spatial.h).
#include "firmnet/frontend/keras/keras_spatial.h"

namespace firmnet::keras {

std::vector<KerasRule> KerasRules_depthwise_conv1d() {
  return {{"DepthwiseConv1D", [](KerasContext& c) { return ImportConv(c, 1, true); }},
          {"SeparableConv1D", [](KerasContext& c) { return ImportSeparableConv(c, 1); }},
          {"QSeparableConv1D", [](KerasContext& c) { return ImportSeparableConv(c, 1); }}};
}

}  // namespace firmnet::keras
