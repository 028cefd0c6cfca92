// ONNX import of GlobalAveragePool and ReduceMean over every spatial axis
// (global_avg_pool1d and global_avg_pool2d; frontend/onnx/onnx_spatial.h).
#include "firmnet/frontend/onnx/onnx_spatial.h"

namespace firmnet::onnx {

std::vector<OnnxRule> OnnxRules_global_avg_pool2d() {
  return {{"GlobalAveragePool", &ImportGlobalPool}, {"ReduceMean", &ImportReduce}};
}

}  // namespace firmnet::onnx
