// ONNX import of slice: Slice with step 1 on feature axes (starts/ends/axes/steps as inputs
// since opset 10, attributes before). Starts and ends clamp as the ONNX specification says
// (negative: from the end; then into [0, extent]); a slice that keeps everything is no layer.
#include <algorithm>
#include <cmath>

#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

namespace {

// Input `i` (opset >= 10) or attribute `name` (before) as integers; nullopt when absent.
StatusOr<std::optional<std::vector<int64_t>>> Ints(OnnxContext& ctx, const NodeProto& n, int i,
                                                   const char* name) {
  if (ctx.opset() < 10) return ctx.AttrInts(n, name);
  if (!OnnxContext::HasInput(n, i)) return std::optional<std::vector<int64_t>>();
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor t, ctx.ConstIn(n, i, name, false));
  std::vector<int64_t> v;
  for (double d : t.data) {
    // INT64_MAX/MIN ("to the end") read back as +-2^63 doubles: clamp them.
    if (std::isnan(d) || d != std::floor(d)) {
      return ctx.Err(StatusCode::kInvalidArgument,
                     std::string(name) + " '" + n.input(i) + "' holds a non-integer");
    }
    v.push_back(d >= 9.2e18 ? INT64_MAX : d <= -9.2e18 ? INT64_MIN : static_cast<int64_t>(d));
  }
  return std::optional<std::vector<int64_t>>(std::move(v));
}

Status ImportSlice(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(auto starts, Ints(ctx, n, 1, "starts"));
  FIRMNET_ASSIGN_OR_RETURN(auto ends, Ints(ctx, n, 2, "ends"));
  FIRMNET_ASSIGN_OR_RETURN(auto axes, Ints(ctx, n, 3, "axes"));
  FIRMNET_ASSIGN_OR_RETURN(auto steps, Ints(ctx, n, 4, "steps"));
  if (!starts || !ends || starts->size() != ends->size()) {
    return ctx.Err(StatusCode::kInvalidArgument, "needs 'starts' and 'ends' of one length");
  }
  const size_t count = starts->size();
  const int64_t rank = static_cast<int64_t>(x.shape.size()) + 1;
  if (!axes) {
    axes.emplace();
    for (size_t k = 0; k < count; ++k) axes->push_back(static_cast<int64_t>(k));
  }
  if (axes->size() != count || (steps && steps->size() != count)) {
    return ctx.Err(StatusCode::kInvalidArgument,
                   "'axes' and 'steps' must have as many entries as 'starts'");
  }
  // The window per ONNX feature axis, then per IR axis (x's IR axis i holds ONNX axis perm[i]).
  std::vector<int64_t> lo(x.shape.size(), 0), hi = x.shape;
  std::vector<bool> seen(static_cast<size_t>(rank), false);
  for (size_t k = 0; k < count; ++k) {
    const int64_t a = (*axes)[k] < 0 ? (*axes)[k] + rank : (*axes)[k];
    if (a < 0 || a >= rank || seen[static_cast<size_t>(a)]) {
      return ctx.Err(StatusCode::kInvalidArgument, "axis " + std::to_string((*axes)[k]) +
                                                       " is out of range for rank " +
                                                       std::to_string(rank) + " or repeated");
    }
    seen[static_cast<size_t>(a)] = true;
    if (steps && (*steps)[k] != 1) {
      return ctx.Err(StatusCode::kUnimplemented, "step " + std::to_string((*steps)[k]) +
                                                     " on axis " + std::to_string(a) +
                                                     ": firmnet slices with step 1 only");
    }
    if (a == 0) {
      if ((*starts)[k] == 0 && (*ends)[k] >= INT32_MAX) continue;  // the whole batch
      return ctx.Err(StatusCode::kUnimplemented, "slices the batch axis");
    }
    const int64_t dim = x.shape[static_cast<size_t>(a - 1)];
    auto clamp = [dim](int64_t v) {
      if (v < 0) v = v < -dim ? 0 : v + dim;
      return std::min(v, dim);
    };
    const int64_t s = clamp((*starts)[k]), e = clamp((*ends)[k]);
    if (s >= e) {
      return ctx.Err(StatusCode::kInvalidArgument,
                     "axis " + std::to_string(a) + ": the window [" + std::to_string(s) + ", " +
                         std::to_string(e) + ") of " + std::to_string(dim) + " positions is empty");
    }
    lo[static_cast<size_t>(a - 1)] = s;
    hi[static_cast<size_t>(a - 1)] = e;
  }
  if (lo == std::vector<int64_t>(x.shape.size(), 0) && hi == x.shape) return ctx.Define(n, x);
  const std::vector<int64_t> perm = PermOf(x);
  std::vector<int64_t> ir_starts, ir_ends;
  for (int64_t onnx_axis : perm) {
    ir_starts.push_back(lo[static_cast<size_t>(onnx_axis)]);
    ir_ends.push_back(hi[static_cast<size_t>(onnx_axis)]);
  }
  ir::Shape shape(x.shape.size());
  for (size_t d = 0; d < shape.size(); ++d) shape[d] = hi[d] - lo[d];
  return ctx
      .AddInferred(n, LayerKind::kSlice, {x}, {{"starts", ir_starts}, {"ends", ir_ends}}, {}, shape,
                   x.perm)
      .status();
}

}  // namespace

std::vector<OnnxRule> OnnxRules_slice() { return {{"Slice", &ImportSlice}}; }

}  // namespace firmnet::onnx
