// ONNX import of split: Split (sizes from input 1 since opset 13, the `split` attribute before,
// or equal parts: `num_outputs` since opset 18, else one part per output).
#include <algorithm>
#include <cmath>

#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

namespace {

// The sizes of the parts of an axis of extent `extent` cut for `n`'s outputs.
StatusOr<std::vector<int64_t>> SplitSizes(OnnxContext& ctx, const NodeProto& n, int64_t extent) {
  const auto outputs = static_cast<int64_t>(n.output_size());
  std::vector<int64_t> sizes;
  if (OnnxContext::HasInput(n, 1)) {
    FIRMNET_ASSIGN_OR_RETURN(ir::Tensor t, ctx.ConstIn(n, 1, "split sizes"));
    for (double v : t.data) {
      if (v != std::floor(v) || std::fabs(v) > 1e15) {
        return ctx.Err(StatusCode::kInvalidArgument,
                       "split sizes '" + n.input(1) + "' hold a non-integer " + std::to_string(v));
      }
      sizes.push_back(static_cast<int64_t>(v));
    }
  } else {
    FIRMNET_ASSIGN_OR_RETURN(std::optional<std::vector<int64_t>> attr, ctx.AttrInts(n, "split"));
    if (attr) {
      sizes = *attr;
    } else {
      FIRMNET_ASSIGN_OR_RETURN(int64_t parts, ctx.AttrInt(n, "num_outputs", outputs));
      if (parts != outputs || parts <= 0) {
        return ctx.Err(StatusCode::kInvalidArgument,
                       "attribute 'num_outputs' = " + std::to_string(parts) + " but the node has " +
                           std::to_string(outputs) + " outputs");
      }
      // Equal parts; since opset 18 the last may be smaller (ceil(extent / parts) each).
      const int64_t part = (extent + parts - 1) / parts;
      if (ctx.opset() < 18 && extent % parts != 0) {
        return ctx.Err(StatusCode::kInvalidArgument, "an axis of " + std::to_string(extent) +
                                                         " positions does not split into " +
                                                         std::to_string(parts) + " equal parts");
      }
      for (int64_t k = 0, left = extent; k < parts; ++k, left -= part) {
        sizes.push_back(std::min(part, left));
      }
    }
  }
  if (static_cast<int64_t>(sizes.size()) != outputs) {
    return ctx.Err(StatusCode::kInvalidArgument,
                   "split sizes " + Join(sizes) + " give " + std::to_string(sizes.size()) +
                       " parts but the node has " + std::to_string(outputs) + " outputs");
  }
  return sizes;
}

Status ImportSplit(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(int64_t axis, ctx.AttrInt(n, "axis", 0));
  const int64_t rank = static_cast<int64_t>(x.shape.size()) + 1;
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a <= 0 || a >= rank) {
    return ctx.Err(StatusCode::kUnimplemented, "attribute 'axis' = " + std::to_string(axis) +
                                                   " is the batch axis or out of range for rank " +
                                                   std::to_string(rank) +
                                                   " (firmnet splits feature axes only)");
  }
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> sizes, SplitSizes(ctx, n, x.shape[a - 1]));
  // The IR axis that holds ONNX feature axis a-1.
  const std::vector<int64_t> perm = PermOf(x);
  int64_t ir_axis = 0;
  for (size_t i = 0; i < perm.size(); ++i) {
    if (perm[i] == a - 1) ir_axis = static_cast<int64_t>(i);
  }
  ir::Shape shape = x.shape;  // the ONNX view of output 0
  shape[a - 1] = sizes.empty() ? 0 : sizes[0];
  return ctx
      .AddInferred(n, LayerKind::kSplit, {x}, {{"axis", ir_axis}, {"sizes", sizes}}, {}, shape,
                   x.perm)
      .status();
}

}  // namespace

std::vector<OnnxRule> OnnxRules_split() { return {{"Split", &ImportSplit}}; }

}  // namespace firmnet::onnx
