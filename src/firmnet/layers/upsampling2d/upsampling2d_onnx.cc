// ONNX import of Resize and Upsample (upsampling1d and upsampling2d; nearest, integer
// factors only).
#include <algorithm>
#include <cmath>

#include "firmnet/frontend/onnx/onnx_context.h"
#include "firmnet/ir/printer.h"

namespace firmnet::onnx {

namespace {

// `mode` nearest and, for Resize, coordinate modes that repeat each value (integer factors).
Status CheckModes(const OnnxContext& ctx, const NodeProto& n) {
  std::string mode = ctx.AttrString(n, "mode", "nearest");
  if (mode != "nearest") {
    return ctx.Err(StatusCode::kUnimplemented,
                   "mode '" + mode + "' is not supported (nearest only)");
  }
  if (n.op_type() == "Resize") {
    const std::string ctm = ctx.AttrString(n, "coordinate_transformation_mode", "half_pixel");
    std::string nm = ctx.AttrString(n, "nearest_mode", "round_prefer_floor");
    // With an integer factor these modes all repeat each value factor times.
    const bool ok = (ctm == "asymmetric" && nm == "floor") ||
                    ((ctm == "half_pixel" || ctm == "pytorch_half_pixel") &&
                     (nm == "round_prefer_floor" || nm == "round_prefer_ceil"));
    if (!ok) {
      return ctx.Err(StatusCode::kUnimplemented,
                     "coordinate_transformation_mode '" + ctm + "' with nearest_mode '" + nm +
                         "' is not supported (it is not plain repetition)");
    }
  }
  return OkStatus();
}

// The scales of the r = spatial + 2 axes (batch, channel, spatial...), from the attribute or
// input the op and opset use, or from Resize's sizes; `x` is the input's ONNX feature shape.
StatusOr<std::vector<double>> Scales(const OnnxContext& ctx, const NodeProto& n, const ir::Shape& x,
                                     size_t r) {
  // Scales: Upsample's attribute (opset < 9) or input 1; Resize's input 2, or sizes (input 3).
  std::vector<double> scales;
  const int scale_input = n.op_type() == "Resize" ? (ctx.opset() >= 11 ? 2 : 1) : 1;
  if (n.op_type() == "Upsample" && ctx.opset() < 9) {
    const AttributeProto* a = ctx.FindAttr(n, "scales");
    if (a != nullptr) scales.assign(a->floats().begin(), a->floats().end());
  } else if (ctx.HasInput(n, scale_input)) {
    FIRMNET_ASSIGN_OR_RETURN(ir::Tensor s, ctx.ConstIn(n, scale_input, "scales"));
    scales = s.data;
  }
  if (scales.empty() && n.op_type() == "Resize" && ctx.HasInput(n, 3)) {
    FIRMNET_ASSIGN_OR_RETURN(const TensorProto* proto, ctx.ConstProto(n, 3, "sizes"));
    FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> sizes, DecodeOnnxIntTensor(*proto));
    if (sizes.size() != r) {
      return ctx.Err(StatusCode::kInvalidArgument,
                     "sizes " + Join(sizes) + " must have " + std::to_string(r) + " entries");
    }
    scales.push_back(1.0);
    for (size_t i = 1; i < r; ++i) {
      scales.push_back(static_cast<double>(sizes[i]) / static_cast<double>(x[i - 1]));
    }
  }
  if (scales.size() != r) {
    return ctx.Err(StatusCode::kInvalidArgument,
                   "expected " + std::to_string(r) + " scales (batch, channel, spatial)");
  }
  return scales;
}

// The spatial factors; every scale must be a positive integer, 1 on the batch and channel.
StatusOr<std::vector<int64_t>> Factors(const OnnxContext& ctx, const std::vector<double>& scales) {
  std::vector<int64_t> size;
  for (size_t i = 0; i < scales.size(); ++i) {
    const double s = scales[i];
    if (!(s >= 1) || s != std::floor(s) || s > kMaxOnnxTensorElements) {
      std::string list;
      for (double v : scales) list += (list.empty() ? "" : ", ") + ir::FormatDoubleShortest(v);
      return ctx.Err(StatusCode::kUnimplemented,
                     "scales [" + list +
                         "] are not all positive integers; nearest upsampling by "
                         "integer factors only");
    }
    if (i < 2 && s != 1) {
      return ctx.Err(StatusCode::kUnimplemented,
                     "scaling the batch or channel axis is not supported");
    }
    if (i >= 2) size.push_back(static_cast<int64_t>(s));
  }
  return size;
}

Status ImportResize(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x0, ctx.LayerIn(n, 0));
  const size_t spatial = x0.shape.size() - 1;
  if (spatial != 1 && spatial != 2) {
    return ctx.Err(StatusCode::kUnimplemented, "input '" + n.input(0) + "' has feature shape " +
                                                   Join(x0.shape) +
                                                   "; resizing of 1-D and 2-D maps only");
  }
  FIRMNET_RETURN_IF_ERROR(CheckModes(ctx, n));
  // In a QONNX channels-last graph a Resize scales [N, spatial..., C] (hls4ml reads it so): the
  // scales (or sizes) are in that order, and the handler's is [N, C, spatial...].
  if (ctx.model_channels_last()) ctx.SetChannelsLast();
  FIRMNET_ASSIGN_OR_RETURN(std::vector<double> scales, Scales(ctx, n, x0.shape, spatial + 2));
  if (ctx.channels_last()) std::rotate(scales.rbegin(), scales.rbegin() + 1, scales.rend() - 1);
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> size, Factors(ctx, scales));
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.FeatureMapIn(n, 0, spatial));
  return ctx
      .AddInferred(n, spatial == 1 ? LayerKind::kUpSampling1D : LayerKind::kUpSampling2D, {x},
                   {{"size", size}}, {}, {}, ChannelsLast(spatial + 1))
      .status();
}

}  // namespace

std::vector<OnnxRule> OnnxRules_upsampling2d() {
  return {{"Resize", &ImportResize}, {"Upsample", &ImportResize}};
}

}  // namespace firmnet::onnx
