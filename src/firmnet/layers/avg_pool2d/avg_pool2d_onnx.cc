// ONNX import of AveragePool (avg_pool1d and avg_pool2d; frontend/onnx/onnx_spatial.h).
#include "firmnet/frontend/onnx/onnx_spatial.h"

namespace firmnet::onnx {

std::vector<OnnxRule> OnnxRules_avg_pool2d() {
  return {{"AveragePool", &ImportPool}, {"qonnx.custom_op.channels_last.AveragePool", &ImportPool}};
}

}  // namespace firmnet::onnx
