// ONNX import of Conv. One ONNX op becomes several layer kinds (conv1d, conv2d,
// depthwise_conv1d, depthwise_conv2d, by rank and group), so its one rule lives here.
#include <algorithm>

#include "firmnet/frontend/onnx/onnx_spatial.h"

namespace firmnet::onnx {

namespace {

// Checks the weight `w` (ONNX [C_out, C_in/group, k...]) against the input's `c_in` channels
// and `group`; returns whether the conv is depthwise (group == channels).
StatusOr<bool> CheckWeight(const OnnxContext& ctx, const NodeProto& n, const ir::Tensor& w,
                           size_t spatial, int64_t c_in) {
  if (w.shape.size() != spatial + 2) {
    return ctx.Err(StatusCode::kInvalidArgument, "weight '" + n.input(1) + "' has shape " +
                                                     Join(w.shape) + ", expected rank " +
                                                     std::to_string(spatial + 2));
  }
  const int64_t c_out = w.shape[0];
  FIRMNET_ASSIGN_OR_RETURN(int64_t group, ctx.AttrInt(n, "group", 1));
  std::vector<int64_t> kernel(w.shape.begin() + 2, w.shape.end());
  if (auto ks = ctx.AttrInts(n, "kernel_shape"); ks.ok() && ks->has_value() && **ks != kernel) {
    return ctx.Err(
        StatusCode::kInvalidArgument,
        "kernel_shape " + Join(**ks) + " does not match the weight shape " + Join(w.shape));
  }
  const bool depthwise = group > 1 && group == c_in && w.shape[1] == 1 && c_out % c_in == 0;
  if (group != 1 && !depthwise) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "group=" + std::to_string(group) + " with " + std::to_string(c_in) +
                       " input channels and weight " + Join(w.shape) +
                       " is not supported; hls4ml builds group=1 (Conv) and group=channels "
                       "(depthwise) only");
  }
  if (!depthwise && w.shape[1] != c_in) {
    return ctx.Err(StatusCode::kInvalidArgument, "weight '" + n.input(1) + "' has shape " +
                                                     Join(w.shape) + " but the input has " +
                                                     std::to_string(c_in) + " channels");
  }
  return depthwise;
}

// Explicit pads [begin..., end...] from `pads` or the node's `auto_pad`.
StatusOr<std::vector<int64_t>> Pads(const OnnxContext& ctx, const NodeProto& n, const ir::Shape& sp,
                                    const std::vector<int64_t>& kernel,
                                    const std::vector<int64_t>& strides,
                                    const std::vector<int64_t>& dilations,
                                    const std::optional<std::vector<int64_t>>& pads) {
  const std::string auto_pad = ctx.AttrString(n, "auto_pad", "NOTSET");
  if (auto_pad == "NOTSET") return pads.value_or(std::vector<int64_t>(2 * sp.size(), 0));
  if (auto_pad != "VALID" && auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER") {
    return ctx.Err(StatusCode::kInvalidArgument, "auto_pad '" + auto_pad + "' is not valid");
  }
  for (int64_t s : strides) {
    if (s < 1) return ctx.Err(StatusCode::kInvalidArgument, "strides " + Join(strides) + " < 1");
  }
  return AutoPads(auto_pad, sp, kernel, strides, dilations);
}

// The ONNX weight [C_out, C_in, k...] in the IR's Keras layout: conv [k..., C_in, C_out],
// depthwise ([C_in * M, 1, k...]) [k..., C_in, M].
ir::Tensor ToIrWeight(const ir::Tensor& w, int64_t c_in, bool depthwise) {
  const int64_t c_out = w.shape[0];
  const std::vector<int64_t> kernel(w.shape.begin() + 2, w.shape.end());
  const int64_t m = depthwise ? c_out / c_in : 0;
  const int64_t k_elems = ir::NumElements(kernel);
  const int64_t ci_w = depthwise ? 1 : c_in;
  ir::Tensor wk;
  wk.dtype = w.dtype;
  wk.shape = kernel;
  wk.shape.push_back(c_in);
  wk.shape.push_back(depthwise ? m : c_out);
  wk.data.resize(w.data.size());
  for (int64_t o = 0; o < c_out; ++o) {
    for (int64_t ci = 0; ci < ci_w; ++ci) {
      for (int64_t k = 0; k < k_elems; ++k) {
        const double v = w.data[(o * ci_w + ci) * k_elems + k];
        if (depthwise) {
          wk.data[(k * c_in + o / m) * m + o % m] = v;
        } else {
          wk.data[(k * c_in + ci) * c_out + o] = v;
        }
      }
    }
  }
  return wk;
}

// QONNX's channels-last Conv holds its weight [C_out, k..., C_in/group]: as ONNX's
// [C_out, C_in/group, k...].
ir::Tensor ChannelsFirstWeight(const ir::Tensor& w) {
  const int64_t c_out = w.shape[0];
  const int64_t c_in = w.shape.back();
  const int64_t k_elems = ir::NumElements(w.shape) / std::max<int64_t>(c_out * c_in, 1);
  ir::Tensor t = w;
  t.shape = {c_out, c_in};
  t.shape.insert(t.shape.end(), w.shape.begin() + 1, w.shape.end() - 1);
  for (int64_t o = 0; o < c_out; ++o) {
    for (int64_t k = 0; k < k_elems; ++k) {
      for (int64_t ci = 0; ci < c_in; ++ci) {
        t.data[(o * c_in + ci) * k_elems + k] = w.data[(o * k_elems + k) * c_in + ci];
      }
    }
  }
  return t;
}

// Input 2 (optional; zeros when absent) as [c_out].
StatusOr<ir::Tensor> Bias(const OnnxContext& ctx, const NodeProto& n, int64_t c_out) {
  ir::Tensor bias{{c_out}, std::vector<double>(static_cast<size_t>(c_out), 0.0)};
  if (ctx.HasInput(n, 2)) {
    FIRMNET_ASSIGN_OR_RETURN(ir::Tensor b, ctx.ConstIn(n, 2, "bias"));
    FIRMNET_ASSIGN_OR_RETURN(bias.data, ctx.BroadcastBias(b, c_out, "bias '" + n.input(2) + "'"));
    bias.dtype = b.dtype;
  }
  return bias;
}

Status ImportConv(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x0, ctx.LayerIn(n, 0));
  const size_t spatial = x0.shape.size() - 1;
  if (spatial != 1 && spatial != 2) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "input '" + n.input(0) + "' has feature shape " + Join(x0.shape) +
                       "; Conv is supported on 1-D and 2-D feature maps");
  }
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.FeatureMapIn(n, 0, spatial));
  const int64_t c_in = x.shape[0];
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor w, ctx.ConstIn(n, 1, "weight"));
  if (ctx.channels_last() && w.shape.size() == spatial + 2) w = ChannelsFirstWeight(w);
  FIRMNET_ASSIGN_OR_RETURN(const bool depthwise, CheckWeight(ctx, n, w, spatial, c_in));
  FIRMNET_ASSIGN_OR_RETURN(auto strides_opt, ctx.AttrInts(n, "strides"));
  FIRMNET_ASSIGN_OR_RETURN(auto dil_opt, ctx.AttrInts(n, "dilations"));
  FIRMNET_ASSIGN_OR_RETURN(auto pads_opt, ctx.AttrInts(n, "pads"));
  std::vector<int64_t> strides = strides_opt.value_or(std::vector<int64_t>(spatial, 1));
  std::vector<int64_t> dilations = dil_opt.value_or(std::vector<int64_t>(spatial, 1));
  if (strides.size() != spatial || dilations.size() != spatial) {
    return ctx.Err(StatusCode::kInvalidArgument,
                   "strides/dilations must have " + std::to_string(spatial) + " entries");
  }
  const ir::Shape sp(x.shape.begin() + 1, x.shape.end());
  const std::vector<int64_t> kernel(w.shape.begin() + 2, w.shape.end());
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> pads,
                           Pads(ctx, n, sp, kernel, strides, dilations, pads_opt));
  ir::Tensor wk = ToIrWeight(w, c_in, depthwise);
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor bias, Bias(ctx, n, w.shape[0]));
  const LayerKind kind =
      depthwise ? (spatial == 1 ? LayerKind::kDepthwiseConv1D : LayerKind::kDepthwiseConv2D)
                : (spatial == 1 ? LayerKind::kConv1D : LayerKind::kConv2D);
  std::map<std::string, ir::AttrValue> attrs = {
      {"strides", strides}, {"pads", pads}, {"dilations", dilations}};
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, ctx.AddInferred(n, kind, {x}, std::move(attrs),
                                                            {{"weight", wk}, {"bias", bias}}, {},
                                                            ChannelsLast(spatial + 1)));
  ctx.ApplyConstQuant(n, 1, *node, "weight");
  ctx.ApplyConstQuant(n, 2, *node, "bias");
  return OkStatus();
}

}  // namespace

std::vector<OnnxRule> OnnxRules_conv2d() {
  return {{"Conv", &ImportConv}, {"qonnx.custom_op.channels_last.Conv", &ImportConv}};
}

}  // namespace firmnet::onnx
