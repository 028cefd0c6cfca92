// ONNX import of hard_sigmoid: HardSigmoid.
#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

namespace {

Status ImportHardSigmoid(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(double alpha, ctx.AttrFloat(n, "alpha", F32(0.2f)));
  FIRMNET_ASSIGN_OR_RETURN(double beta, ctx.AttrFloat(n, "beta", 0.5));
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node,
                           ctx.AddLayer(n, LayerKind::kHardSigmoid, x, x.shape, x.perm));
  node->attrs["alpha"] = alpha;
  node->attrs["beta"] = beta;
  return OkStatus();
}

}  // namespace

std::vector<OnnxRule> OnnxRules_hard_sigmoid() { return {{"HardSigmoid", &ImportHardSigmoid}}; }

}  // namespace firmnet::onnx
