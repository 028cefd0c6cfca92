#include "firmnet/frontend/onnx/onnx_spatial.h"

#include <algorithm>

namespace firmnet::onnx {

StatusOr<std::vector<int64_t>> AutoPads(const std::string& mode, const ir::Shape& spatial,
                                        const std::vector<int64_t>& kernel,
                                        const std::vector<int64_t>& strides,
                                        const std::vector<int64_t>& dilations) {
  const size_t n = spatial.size();
  std::vector<int64_t> pads(2 * n, 0);
  if (mode == "VALID") return pads;
  for (size_t i = 0; i < n; ++i) {
    const int64_t out = (spatial[i] + strides[i] - 1) / strides[i];
    const int64_t total = std::max<int64_t>(
        (out - 1) * strides[i] + dilations[i] * (kernel[i] - 1) + 1 - spatial[i], 0);
    const int64_t small = total / 2;
    pads[i] = mode == "SAME_LOWER" ? total - small : small;
    pads[n + i] = total - pads[i];
  }
  return pads;
}

Status ImportMerge(OnnxContext& ctx, const NodeProto& n) {
  const std::string& op = n.op_type();
  const LayerKind kind = op == "Add" || op == "Sum" ? LayerKind::kAdd
                         : op == "Sub"              ? LayerKind::kSubtract
                         : op == "Mul"              ? LayerKind::kMultiply
                         : op == "Mean"             ? LayerKind::kAverage
                         : op == "Max"              ? LayerKind::kMaximum
                                                    : LayerKind::kMinimum;
  std::vector<Value> ins;
  for (int i = 0; i < n.input_size(); ++i) {
    if (!ctx.IsLayerOutput(n.input(i))) {
      FIRMNET_RETURN_IF_ERROR(ctx.LayerIn(n, i).status());  // names a constant or a dangling input
    }
    FIRMNET_ASSIGN_OR_RETURN(Value v, ctx.LayerIn(n, i));
    if (!ins.empty()) {
      if (v.shape != ins[0].shape) {
        return ctx.Err(StatusCode::kInvalidArgument,
                       "inputs '" + n.input(0) + "' " + Join(ins[0].shape) + " and '" + n.input(i) +
                           "' " + Join(v.shape) +
                           " differ in shape; broadcasting is not supported");
      }
      FIRMNET_ASSIGN_OR_RETURN(v, ctx.InLayout(n, v, PermOf(ins[0])));
    }
    ins.push_back(v);
  }
  if (ins.size() < 2) return ctx.Err(StatusCode::kInvalidArgument, "needs at least two inputs");
  const ir::Shape shape = ins[0].shape;
  std::vector<int64_t> perm = ins[0].perm;
  return ctx.AddInferred(n, kind, ins, {}, {}, shape, perm).status();
}

Status ImportPool(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x0, ctx.LayerIn(n, 0));
  const size_t spatial = x0.shape.size() - 1;
  if (spatial != 1 && spatial != 2) {
    return ctx.Err(StatusCode::kUnimplemented, "input '" + n.input(0) + "' has feature shape " +
                                                   Join(x0.shape) +
                                                   "; pooling is supported on 1-D and 2-D maps");
  }
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.FeatureMapIn(n, 0, spatial));
  FIRMNET_ASSIGN_OR_RETURN(auto ks, ctx.AttrInts(n, "kernel_shape"));
  if (!ks || ks->size() != spatial) {
    return ctx.Err(StatusCode::kInvalidArgument,
                   "kernel_shape must have " + std::to_string(spatial) + " entries");
  }
  FIRMNET_ASSIGN_OR_RETURN(int64_t ceil_mode, ctx.AttrInt(n, "ceil_mode", 0));
  if (ceil_mode != 0) {
    return ctx.Err(StatusCode::kUnimplemented, "ceil_mode=1 is not supported (hls4ml floors)");
  }
  FIRMNET_ASSIGN_OR_RETURN(auto dil, ctx.AttrInts(n, "dilations"));
  if (dil && *dil != std::vector<int64_t>(spatial, 1)) {
    return ctx.Err(StatusCode::kUnimplemented, "dilations " + Join(*dil) + " are not supported");
  }
  FIRMNET_ASSIGN_OR_RETURN(auto strides_opt, ctx.AttrInts(n, "strides"));
  FIRMNET_ASSIGN_OR_RETURN(auto pads_opt, ctx.AttrInts(n, "pads"));
  std::vector<int64_t> strides = strides_opt.value_or(std::vector<int64_t>(spatial, 1));
  std::string auto_pad = ctx.AttrString(n, "auto_pad", "NOTSET");
  std::vector<int64_t> pads = pads_opt.value_or(std::vector<int64_t>(2 * spatial, 0));
  if (auto_pad != "NOTSET") {
    if (strides.size() != spatial) {
      return ctx.Err(StatusCode::kInvalidArgument,
                     "strides must have " + std::to_string(spatial) + " entries");
    }
    FIRMNET_ASSIGN_OR_RETURN(pads, AutoPads(auto_pad, ir::Shape(x.shape.begin() + 1, x.shape.end()),
                                            *ks, strides, std::vector<int64_t>(spatial, 1)));
  }
  const bool avg = n.op_type() == "AveragePool";
  std::map<std::string, ir::AttrValue> attrs = {
      {"pool_size", *ks}, {"strides", strides}, {"pads", pads}};
  if (avg) {
    FIRMNET_ASSIGN_OR_RETURN(int64_t cip, ctx.AttrInt(n, "count_include_pad", 0));
    attrs["count_include_pad"] = cip;
  }
  const LayerKind kind = avg ? (spatial == 1 ? LayerKind::kAvgPool1D : LayerKind::kAvgPool2D)
                             : (spatial == 1 ? LayerKind::kMaxPool1D : LayerKind::kMaxPool2D);
  return ctx.AddInferred(n, kind, {x}, std::move(attrs), {}, {}, ChannelsLast(spatial + 1))
      .status();
}

Status ImportGlobalPool(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x0, ctx.LayerIn(n, 0));
  const size_t spatial = x0.shape.size() - 1;
  if (spatial != 1 && spatial != 2) {
    return ctx.Err(StatusCode::kUnimplemented, "input '" + n.input(0) + "' has feature shape " +
                                                   Join(x0.shape) +
                                                   "; global pooling of 1-D and 2-D maps only");
  }
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.FeatureMapIn(n, 0, spatial));
  const bool avg = n.op_type() == "GlobalAveragePool" || n.op_type() == "ReduceMean";
  const LayerKind kind =
      avg ? (spatial == 1 ? LayerKind::kGlobalAvgPool1D : LayerKind::kGlobalAvgPool2D)
          : (spatial == 1 ? LayerKind::kGlobalMaxPool1D : LayerKind::kGlobalMaxPool2D);
  // ONNX keeps [C, 1, 1]; the unit axes are layout only ([C]).
  return ctx.AddInferred(n, kind, {x}, {}, {}, {x.shape[0]}, {}).status();
}

Status ImportReduce(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(auto axes, ctx.AttrInts(n, "axes"));
  std::vector<int64_t> a = axes.value_or(std::vector<int64_t>{});
  if (!axes && ctx.HasInput(n, 1)) {
    FIRMNET_ASSIGN_OR_RETURN(const TensorProto* proto, ctx.ConstProto(n, 1, "axes"));
    FIRMNET_ASSIGN_OR_RETURN(a, DecodeOnnxIntTensor(*proto));
  }
  const int64_t rank = static_cast<int64_t>(x.shape.size()) + 1;
  std::vector<int64_t> want;
  for (int64_t i = 2; i < rank; ++i) want.push_back(i);
  for (int64_t& v : a) v = v < 0 ? v + rank : v;
  std::sort(a.begin(), a.end());
  if (a != want || want.empty()) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "reducing axes " + Join(a) + " of a rank-" + std::to_string(rank) +
                       " tensor is not supported; only every spatial axis (a global pool)");
  }
  return ImportGlobalPool(ctx, n);
}

}  // namespace firmnet::onnx
