// ONNX import of clip: Clip (bounds as attributes before opset 11, inputs from 11).
#include <algorithm>
#include <cmath>
#include <limits>

#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

namespace {

Status ImportClip(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  // ONNX's defaults: the float32 range (an unbounded side).
  double lo = std::numeric_limits<float>::lowest();
  double hi = std::numeric_limits<float>::max();
  if (ctx.opset() < 11) {
    FIRMNET_ASSIGN_OR_RETURN(lo, ctx.AttrFloat(n, "min", lo));
    FIRMNET_ASSIGN_OR_RETURN(hi, ctx.AttrFloat(n, "max", hi));
  } else {
    if (ctx.HasInput(n, 1)) {
      FIRMNET_ASSIGN_OR_RETURN(lo, ctx.ScalarIn(n, 1, "min"));
    }
    if (ctx.HasInput(n, 2)) {
      FIRMNET_ASSIGN_OR_RETURN(hi, ctx.ScalarIn(n, 2, "max"));
    }
  }
  if (std::isnan(lo) || std::isnan(hi)) {
    return ctx.Err(StatusCode::kInvalidArgument, "min or max is NaN");
  }
  // An infinite bound means no bound; keep the attribute finite for the text IR and backends.
  lo = std::max(lo, static_cast<double>(std::numeric_limits<float>::lowest()));
  hi = std::min(hi, static_cast<double>(std::numeric_limits<float>::max()));
  if (lo > hi) {
    return ctx.Err(StatusCode::kInvalidArgument,
                   "min " + std::to_string(lo) + " is greater than max " + std::to_string(hi));
  }
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, ctx.AddLayer(n, LayerKind::kClip, x, x.shape, x.perm));
  node->attrs["min"] = lo;
  node->attrs["max"] = hi;
  return OkStatus();
}

}  // namespace

std::vector<OnnxRule> OnnxRules_clip() { return {{"Clip", &ImportClip}}; }

}  // namespace firmnet::onnx
