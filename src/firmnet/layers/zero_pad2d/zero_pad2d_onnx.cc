// ONNX import of Pad (zero_pad1d and zero_pad2d; constant 0 only).
#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

namespace {

Status ImportPad(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x0, ctx.LayerIn(n, 0));
  const size_t spatial = x0.shape.size() - 1;
  std::string mode = ctx.AttrString(n, "mode", "constant");
  if (mode != "constant") {
    return ctx.Err(StatusCode::kUnimplemented, "mode '" + mode + "' is not supported (constant 0)");
  }
  std::vector<int64_t> pads;
  double value = 0;
  if (ctx.opset() < 11) {
    FIRMNET_ASSIGN_OR_RETURN(auto p, ctx.AttrInts(n, "pads"));
    pads = p.value_or(std::vector<int64_t>{});
    FIRMNET_ASSIGN_OR_RETURN(value, ctx.AttrFloat(n, "value", 0.0));
  } else {
    FIRMNET_ASSIGN_OR_RETURN(const TensorProto* proto, ctx.ConstProto(n, 1, "pads"));
    FIRMNET_ASSIGN_OR_RETURN(pads, DecodeOnnxIntTensor(*proto));
    if (ctx.HasInput(n, 2)) {
      FIRMNET_ASSIGN_OR_RETURN(value, ctx.ScalarIn(n, 2, "constant_value"));
    }
    if (ctx.HasInput(n, 3))
      return ctx.Err(StatusCode::kUnimplemented, "the 'axes' input is not supported");
  }
  if (value != 0) {
    return ctx.Err(StatusCode::kUnimplemented, "padding with " + std::to_string(value) +
                                                   " is not supported (zero padding only)");
  }
  const size_t r = spatial + 2;  // with batch and channel
  if (pads.size() != 2 * r || (spatial != 1 && spatial != 2)) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "pads " + Join(pads) + " for feature shape " + Join(x0.shape) +
                       ": zero padding of 1-D or 2-D feature maps only");
  }
  if (pads[0] != 0 || pads[1] != 0 || pads[r] != 0 || pads[r + 1] != 0) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "pads " + Join(pads) + " pad the batch or channel axis; only spatial padding");
  }
  std::vector<int64_t> ir_pads;
  for (size_t i = 2; i < r; ++i) ir_pads.push_back(pads[i]);
  for (size_t i = 2; i < r; ++i) ir_pads.push_back(pads[r + i]);
  for (int64_t p : ir_pads) {
    if (p < 0)
      return ctx.Err(StatusCode::kUnimplemented, "negative pads (cropping) are not supported");
  }
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.FeatureMapIn(n, 0, spatial));
  return ctx
      .AddInferred(n, spatial == 1 ? LayerKind::kZeroPad1D : LayerKind::kZeroPad2D, {x},
                   {{"pads", ir_pads}}, {}, {}, ChannelsLast(spatial + 1))
      .status();
}

}  // namespace

std::vector<OnnxRule> OnnxRules_zero_pad2d() { return {{"Pad", &ImportPad}}; }

}  // namespace firmnet::onnx
