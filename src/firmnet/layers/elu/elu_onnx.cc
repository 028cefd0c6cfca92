// ONNX import of elu: Elu.
#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

namespace {

Status ImportElu(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(double alpha, ctx.AttrFloat(n, "alpha", 1.0));
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, ctx.AddLayer(n, LayerKind::kElu, x, x.shape, x.perm));
  node->attrs["alpha"] = alpha;
  return OkStatus();
}

}  // namespace

std::vector<OnnxRule> OnnxRules_elu() { return {{"Elu", &ImportElu}}; }

}  // namespace firmnet::onnx
