#include "firmnet/frontend/onnx/onnx_spatial.h"

#include <algorithm>
#include <optional>

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

Status ImportAffineConstant(OnnxContext& ctx, const NodeProto& n) {
  const std::string& op = n.op_type();
  if (n.input_size() != 2) return ctx.Err(StatusCode::kInvalidArgument, "needs two inputs");
  const int layer_side = ctx.IsLayerOutput(n.input(0)) ? 0 : 1;
  const int const_side = 1 - layer_side;
  if (op == "Div" && layer_side != 0) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "Div of a constant by a layer output is not supported (only x / constant)");
  }
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, layer_side));
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor c, ctx.ConstIn(n, const_side, "constant"));
  const OnnxContext::ConstQuant* q = ctx.ConstQuantOf(n, const_side);
  // The constant broadcast to [1, x.shape...] (ONNX's numpy rules), read at each IR position.
  const ir::Shape full = [&] {
    ir::Shape f = {1};
    f.insert(f.end(), x.shape.begin(), x.shape.end());
    return f;
  }();
  if (c.shape.size() > full.size()) {
    return ctx.Err(StatusCode::kInvalidArgument, "constant '" + n.input(const_side) + "' " +
                                                     Join(c.shape) + " has more axes than " +
                                                     Join(full));
  }
  for (size_t k = 0; k < c.shape.size(); ++k) {
    const int64_t d = c.shape[k], e = full[full.size() - c.shape.size() + k];
    if (d != 1 && d != e) {
      return ctx.Err(StatusCode::kInvalidArgument,
                     "constant '" + n.input(const_side) + "' " + Join(c.shape) +
                         " does not broadcast to the input's shape " + Join(full) +
                         " (it would change the output's shape)");
    }
  }
  const std::vector<int64_t> perm = PermOf(x);
  const size_t r = x.shape.size();
  ir::Shape ir_shape(r);
  for (size_t i = 0; i < r; ++i) ir_shape[i] = x.shape[static_cast<size_t>(perm[i])];
  const int64_t total = ir::NumElements(ir_shape);
  std::vector<double> at(static_cast<size_t>(total));
  std::vector<int64_t> onnx_coord(r);
  for (int64_t f = 0; f < total; ++f) {
    int64_t rest = f;
    for (size_t i = r; i-- > 0;) {
      onnx_coord[static_cast<size_t>(perm[i])] = rest % ir_shape[i];
      rest /= ir_shape[i];
    }
    int64_t idx = 0;
    for (size_t k = 0; k < c.shape.size(); ++k) {
      const size_t axis = full.size() - c.shape.size() + k;  // 0 is the batch
      const int64_t coord = axis == 0 || c.shape[k] == 1 ? 0 : onnx_coord[axis - 1];
      idx = idx * c.shape[k] + coord;
    }
    at[static_cast<size_t>(f)] = c.data[static_cast<size_t>(idx)];
  }
  // One value per channel (the last IR axis) when they repeat so, else one per value.
  const int64_t channels = r == 0 ? 1 : ir_shape.back();
  bool per_channel = channels > 0;
  for (int64_t f = channels; per_channel && f < total; ++f) {
    per_channel = at[static_cast<size_t>(f)] == at[static_cast<size_t>(f % channels)];
  }
  if (per_channel) at.resize(static_cast<size_t>(std::min(channels, total)));
  const auto n_values = static_cast<int64_t>(at.size());
  const auto filled = [&](double v) { return std::vector<double>(at.size(), v); };
  // The constant's part keeps a Quant's type; the fixed parts (a scale of 1 or -1, a bias of 0)
  // take the config's types, which hold them exactly (hls4ml names ap_uint<1> / ap_int<2> for
  // them, which the consecutive-batchnorm fusion then replaces as the config's types do).
  std::vector<double> scale, bias;
  std::optional<FixedType> scale_t, bias_t;
  if (op == "Add") {
    scale = filled(1.0);
    bias = at;
    if (q != nullptr) bias_t = q->type;
  } else if (op == "Sub" && layer_side == 0) {
    scale = filled(1.0);
    bias = at;
    for (double& b : bias) b = -b;
    if (q != nullptr) {
      bias_t = q->type;
      if (!q->type.is_signed) {  // -c needs a sign bit
        FIRMNET_ASSIGN_OR_RETURN(
            bias_t, MakeFixedType(q->type.width + 1, q->type.int_bits + 1, true, q->type.rounding,
                                  q->type.overflow, q->type.sat_bits));
      }
    }
  } else if (op == "Sub") {
    scale = filled(-1.0);
    bias = at;
    if (q != nullptr) bias_t = q->type;
  } else if (op == "Mul") {
    scale = at;
    if (q != nullptr) scale_t = q->type;
    bias = filled(0.0);
  } else {  // Div: the reciprocal in the constant's float32, as numpy's 1 / array
    scale = at;
    for (double& s : scale) {
      if (s == 0) return ctx.Err(StatusCode::kInvalidArgument, "division by a zero constant");
      s = static_cast<double>(1.0F / static_cast<float>(s));
    }
    if (q != nullptr) {
      const FixedType& t = q->type;
      const int frac = t.frac_bits(), sign = t.is_signed ? 1 : 0;
      FIRMNET_ASSIGN_OR_RETURN(
          scale_t, MakeFixedType(1 + sign + std::max(frac, 0), 1 + sign + frac, t.is_signed,
                                 t.rounding, t.overflow, t.sat_bits));
    }
    bias = filled(0.0);
  }
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node,
                           ctx.AddLayer(n, LayerKind::kBatchNorm, x, x.shape, x.perm));
  node->weights["scale"] = ir::Tensor{{n_values}, std::move(scale)};
  node->weights["bias"] = ir::Tensor{{n_values}, std::move(bias)};
  // numpy's arrays: the constant's element type (float32 for ONNX weights), which later folding
  // computes in, as hls4ml's does on them.
  node->weights["scale"].dtype = c.dtype;
  node->weights["bias"].dtype = c.dtype;
  if (scale_t) node->model_precision["scale"] = *scale_t;
  if (bias_t) node->model_precision["bias"] = *bias_t;
  return OkStatus();
}

Status ImportMerge(OnnxContext& ctx, const NodeProto& n) {
  const std::string& op = n.op_type();
  if ((op == "Sub" || op == "Mul") && n.input_size() == 2 &&
      ctx.IsLayerOutput(n.input(0)) != ctx.IsLayerOutput(n.input(1)) &&
      (ctx.IsConstant(n.input(0)) || ctx.IsConstant(n.input(1)))) {
    return ImportAffineConstant(ctx, n);
  }
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
