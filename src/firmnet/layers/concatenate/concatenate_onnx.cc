// ONNX import of concatenate: Concat.
#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

namespace {

Status ImportConcat(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(int64_t axis, ctx.AttrInt(n, "axis", 1));
  std::vector<Value> ins;
  for (int i = 0; i < n.input_size(); ++i) {
    FIRMNET_ASSIGN_OR_RETURN(Value v, ctx.LayerIn(n, i));
    if (!ins.empty()) {
      if (v.shape.size() != ins[0].shape.size()) {
        return ctx.Err(StatusCode::kInvalidArgument,
                       "inputs '" + n.input(0) + "' " + Join(ins[0].shape) + " and '" + n.input(i) +
                           "' " + Join(v.shape) + " differ in rank");
      }
      FIRMNET_ASSIGN_OR_RETURN(v, ctx.InLayout(n, v, PermOf(ins[0])));
    }
    ins.push_back(v);
  }
  if (ins.size() < 2) return ctx.Err(StatusCode::kInvalidArgument, "needs at least two inputs");
  const int64_t rank = static_cast<int64_t>(ins[0].shape.size()) + 1;
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a <= 0 || a >= rank) {
    return ctx.Err(StatusCode::kInvalidArgument,
                   "axis " + std::to_string(axis) + " is the batch axis or out of range for rank " +
                       std::to_string(rank));
  }
  // The IR axis that holds ONNX feature axis a-1.
  const std::vector<int64_t> perm = PermOf(ins[0]);
  int64_t ir_axis = 0;
  for (size_t i = 0; i < perm.size(); ++i) {
    if (perm[i] == a - 1) ir_axis = static_cast<int64_t>(i);
  }
  ir::Shape shape = ins[0].shape;
  shape[a - 1] = 0;
  for (const Value& v : ins) shape[a - 1] += v.shape[a - 1];
  return ctx
      .AddInferred(n, LayerKind::kConcatenate, ins, {{"axis", ir_axis}}, {}, shape, ins[0].perm)
      .status();
}

}  // namespace

std::vector<OnnxRule> OnnxRules_concatenate() { return {{"Concat", &ImportConcat}}; }

}  // namespace firmnet::onnx
