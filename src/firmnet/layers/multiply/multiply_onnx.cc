// ONNX import of multiply: Mul (frontend/onnx/onnx_spatial.h).
#include "firmnet/frontend/onnx/onnx_spatial.h"

namespace firmnet::onnx {

std::vector<OnnxRule> OnnxRules_multiply() { return {{"Mul", &ImportMerge}}; }

}  // namespace firmnet::onnx
