// ONNX import of softmax: Softmax.
#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

namespace {

Status ImportSoftmax(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  // Before opset 13, Softmax flattened the input to 2-D around `axis` (default 1); from 13 on it
  // works along `axis` (default -1). For a [batch, features] tensor both mean "the features".
  FIRMNET_ASSIGN_OR_RETURN(int64_t axis, ctx.AttrInt(n, "axis", ctx.opset() < 13 ? 1 : -1));
  const auto rank = static_cast<int64_t>(x.shape.size()) + 1;
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) {
    return ctx.Err(StatusCode::kInvalidArgument, "axis " + std::to_string(axis) +
                                                     " is out of range for a rank-" +
                                                     std::to_string(rank) + " tensor");
  }
  if (x.shape.size() != 1 || a != 1) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "softmax along axis " + std::to_string(axis) +
                       " of a tensor with feature shape " + Join(x.shape) +
                       " is not supported; only the last axis of a 1-D feature "
                       "vector");
  }
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, ctx.AddLayer(n, LayerKind::kSoftmax, x, x.shape));
  node->attrs["axis"] = int64_t{-1};
  return OkStatus();
}

}  // namespace

std::vector<OnnxRule> OnnxRules_softmax() { return {{"Softmax", &ImportSoftmax}}; }

}  // namespace firmnet::onnx
