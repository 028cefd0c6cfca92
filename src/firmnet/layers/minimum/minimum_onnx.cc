// ONNX import of minimum: Min (frontend/onnx/onnx_spatial.h).
#include "firmnet/frontend/onnx/onnx_spatial.h"

namespace firmnet::onnx {

std::vector<OnnxRule> OnnxRules_minimum() { return {{"Min", &ImportMerge}}; }

}  // namespace firmnet::onnx
