// ONNX import of softplus: Softplus.
#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

std::vector<OnnxRule> OnnxRules_softplus() {
  return {{"Softplus", [](OnnxContext& ctx, const NodeProto& n) {
             return ctx.SimpleActivation(n, LayerKind::kSoftplus);
           }}};
}

}  // namespace firmnet::onnx
