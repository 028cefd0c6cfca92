// ONNX import of MaxPool (max_pool1d and max_pool2d; frontend/onnx/onnx_spatial.h).
#include "firmnet/frontend/onnx/onnx_spatial.h"

namespace firmnet::onnx {

std::vector<OnnxRule> OnnxRules_max_pool2d() {
  return {{"MaxPool", &ImportPool}, {"qonnx.custom_op.channels_last.MaxPool", &ImportPool}};
}

}  // namespace firmnet::onnx
