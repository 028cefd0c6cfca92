// ONNX import of maximum: Max (frontend/onnx/onnx_spatial.h).
#include "firmnet/frontend/onnx/onnx_spatial.h"

namespace firmnet::onnx {

std::vector<OnnxRule> OnnxRules_maximum() { return {{"Max", &ImportMerge}}; }

}  // namespace firmnet::onnx
