// ONNX import of subtract: Sub (frontend/onnx/onnx_spatial.h).
#include "firmnet/frontend/onnx/onnx_spatial.h"

namespace firmnet::onnx {

std::vector<OnnxRule> OnnxRules_subtract() { return {{"Sub", &ImportMerge}}; }

}  // namespace firmnet::onnx
