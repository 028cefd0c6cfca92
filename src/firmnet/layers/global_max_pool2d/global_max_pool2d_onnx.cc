// ONNX import of GlobalMaxPool and ReduceMax over every spatial axis
// (global_max_pool1d and global_max_pool2d; frontend/onnx/onnx_spatial.h).
#include "firmnet/frontend/onnx/onnx_spatial.h"

namespace firmnet::onnx {

std::vector<OnnxRule> OnnxRules_global_max_pool2d() {
  return {{"GlobalMaxPool", &ImportGlobalPool}, {"ReduceMax", &ImportReduce}};
}

}  // namespace firmnet::onnx
