// ONNX import of tanh: Tanh.
#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

std::vector<OnnxRule> OnnxRules_tanh() {
  return {{"Tanh", [](OnnxContext& ctx, const NodeProto& n) {
             return ctx.SimpleActivation(n, LayerKind::kTanh);
           }}};
}

}  // namespace firmnet::onnx
