// ONNX import of softsign: Softsign.
#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

std::vector<OnnxRule> OnnxRules_softsign() {
  return {{"Softsign", [](OnnxContext& ctx, const NodeProto& n) {
             return ctx.SimpleActivation(n, LayerKind::kSoftsign);
           }}};
}

}  // namespace firmnet::onnx
