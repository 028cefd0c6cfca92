// ONNX import of transpose: Transpose (only a view change: the values stay where they are).
#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

namespace {

Status ImportTranspose(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(std::optional<std::vector<int64_t>> perm, ctx.AttrInts(n, "perm"));
  const size_t r = x.shape.size();
  std::vector<int64_t> p;  // over the feature axes
  // With at most one dimension larger than 1, a transpose moves no value: it is layout only
  // (exporters wrap BatchNormalization of feature vectors in such transposes, and unit axes
  // that layout-only ops dropped may still appear in perm).
  int64_t big = 0;
  for (int64_t d : x.shape) big += d > 1 ? 1 : 0;
  if (big <= 1) return ctx.Define(n, x);
  if (!perm) {
    // ONNX's default reverses every axis, the batch included.
    return ctx.Err(StatusCode::kUnimplemented, "Transpose without 'perm' moves the batch axis");
  }
  if (perm->size() != r + 1 || (*perm)[0] != 0) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "Transpose with perm " + Join(*perm) + " of a tensor with feature shape " +
                       Join(x.shape) + " moves the batch axis or does not match the tensor's rank");
  }
  std::vector<bool> seen(r, false);
  for (size_t i = 1; i <= r; ++i) {
    const int64_t a = (*perm)[i] - 1;
    if (a < 0 || a >= static_cast<int64_t>(r) || seen[a]) {
      return ctx.Err(StatusCode::kInvalidArgument, "perm " + Join(*perm) + " is not a permutation");
    }
    seen[a] = true;
    p.push_back(a);
  }
  // The values stay where they are: only the ONNX view changes. New view s'[i] = s[p[i]]; the IR
  // axis i held s[old[i]] = s'[pinv[old[i]]].
  std::vector<int64_t> pinv(r);
  for (size_t i = 0; i < r; ++i) pinv[p[i]] = static_cast<int64_t>(i);
  const std::vector<int64_t> old = PermOf(x);
  Value y{x.node, {}, {}};
  for (size_t i = 0; i < r; ++i) y.shape.push_back(x.shape[p[i]]);
  for (size_t i = 0; i < r; ++i) y.perm.push_back(pinv[old[i]]);
  if (y.perm == Identity(r)) y.perm.clear();
  return ctx.Define(n, y);
}

}  // namespace

std::vector<OnnxRule> OnnxRules_transpose() { return {{"Transpose", &ImportTranspose}}; }

}  // namespace firmnet::onnx
