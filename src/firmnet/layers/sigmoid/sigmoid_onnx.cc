// ONNX import of sigmoid: Sigmoid.
#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

std::vector<OnnxRule> OnnxRules_sigmoid() {
  return {{"Sigmoid", [](OnnxContext& ctx, const NodeProto& n) {
             return ctx.SimpleActivation(n, LayerKind::kSigmoid);
           }}};
}

}  // namespace firmnet::onnx
