// ONNX import of average: Mean (frontend/onnx/onnx_spatial.h).
#include "firmnet/frontend/onnx/onnx_spatial.h"

namespace firmnet::onnx {

std::vector<OnnxRule> OnnxRules_average() { return {{"Mean", &ImportMerge}}; }

}  // namespace firmnet::onnx
