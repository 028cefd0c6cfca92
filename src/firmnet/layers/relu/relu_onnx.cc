// ONNX import of relu: Relu.
#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

std::vector<OnnxRule> OnnxRules_relu() {
  return {{"Relu", [](OnnxContext& ctx, const NodeProto& n) {
             return ctx.SimpleActivation(n, LayerKind::kRelu);
           }}};
}

}  // namespace firmnet::onnx
