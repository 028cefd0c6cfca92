// ONNX import of selu: Selu.
#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

namespace {

Status ImportSelu(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  // ONNX's defaults are float32 constants.
  FIRMNET_ASSIGN_OR_RETURN(double alpha,
                           ctx.AttrFloat(n, "alpha", F32(1.67326319217681884765625f)));
  FIRMNET_ASSIGN_OR_RETURN(double gamma,
                           ctx.AttrFloat(n, "gamma", F32(1.05070102214813232421875f)));
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, ctx.AddLayer(n, LayerKind::kSelu, x, x.shape, x.perm));
  node->attrs["alpha"] = alpha;
  node->attrs["gamma"] = gamma;
  return OkStatus();
}

}  // namespace

std::vector<OnnxRule> OnnxRules_selu() { return {{"Selu", &ImportSelu}}; }

}  // namespace firmnet::onnx
