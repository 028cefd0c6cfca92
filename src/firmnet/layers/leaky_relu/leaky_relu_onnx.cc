// ONNX import of leaky_relu: LeakyRelu.
#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

namespace {

Status ImportLeakyRelu(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(double alpha, ctx.AttrFloat(n, "alpha", F32(0.01f)));
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node,
                           ctx.AddLayer(n, LayerKind::kLeakyRelu, x, x.shape, x.perm));
  node->attrs["alpha"] = alpha;
  return OkStatus();
}

}  // namespace

std::vector<OnnxRule> OnnxRules_leaky_relu() { return {{"LeakyRelu", &ImportLeakyRelu}}; }

}  // namespace firmnet::onnx
