// ONNX import of QONNX's BipolarQuant: y = (x >= 0 ? 1 : -1) * scale. On a constant, -1/+1
// weights that the reading layer takes as hls4ml's XNOR kernel; on a layer output, binary_tanh
// (and a scale step when the scale is not 1). firmnet holds hls4ml's 1-bit XNOR values as -1/+1
// inside the model and writes the XNOR bits (1/0) where a unit-scale BipolarQuant is a graph
// output (docs/semantics.md, "Binary and ternary networks").
#include "firmnet/frontend/onnx/qonnx_quant.h"
#include "firmnet/ir/printer.h"

namespace firmnet::onnx {

namespace {

Status ImportBipolarQuant(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_RETURN_IF_ERROR(ctx.NeedInput(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor scale, ctx.ConstIn(n, 1, "scale"));
  for (double s : scale.data) {
    if (s != scale.data[0] || !(s > 0)) {
      return ctx.Err(StatusCode::kUnimplemented,
                     "scale '" + n.input(1) +
                         "' must be one positive value (per-element bipolar scales are not "
                         "supported)");
    }
  }
  if (scale.data.empty()) return ctx.Err(StatusCode::kInvalidArgument, "scale is empty");
  const double s = scale.data[0];
  const FixedType binary = *MakeFixedType(2, 2, true);
  if (ctx.IsConstant(n.input(0))) {
    if (s != 1) {
      return ctx.Err(StatusCode::kUnimplemented,
                     "a BipolarQuant on a constant with scale " + ir::FormatDoubleShortest(s) +
                         " is not supported (scale 1 only: hls4ml's XNOR weights)");
    }
    FIRMNET_ASSIGN_OR_RETURN(ir::Tensor x, ctx.ConstIn(n, 0, "input"));
    for (double& v : x.data) v = v >= 0 ? 1.0 : -1.0;
    return ctx.DefineQuantizedConstant(n, x, {binary, /*xnor=*/true});
  }
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  if (s == 1) {
    // hls4ml's type for a unit-scale BipolarQuant is its 1-bit XNOR type: the same -1/+1 for the
    // layers that read it, but 0/1 where it is a model output. Readers inside the model get
    // -1/+1; a graph output gets the bits (a second sign step when the value has readers too).
    const bool out = ctx.IsGraphOutput(n.output(0));
    const bool readers = ctx.Uses(n.output(0)) > (out ? 1 : 0);
    if (readers || !out) {
      FIRMNET_ASSIGN_OR_RETURN(ir::Node * node,
                               ctx.AddLayer(n, LayerKind::kBinaryTanh, x, x.shape, x.perm));
      node->model_precision["result"] = binary;
    }
    if (out) {
      FIRMNET_ASSIGN_OR_RETURN(auto bits,
                               ctx.AddStep(n, LayerKind::kBinaryTanh, x, readers ? "_xnor" : ""));
      bits.first->attrs["xnor"] = int64_t{1};
      bits.first->model_precision["result"] = *MakeFixedType(1, 1, false);
      if (readers) {
        ctx.DefineGraphOutput(n, bits.second);
      } else {
        FIRMNET_RETURN_IF_ERROR(ctx.Define(n, bits.second));
      }
    }
    return OkStatus();
  }
  FIRMNET_ASSIGN_OR_RETURN(auto act, ctx.AddStep(n, LayerKind::kBinaryTanh, x, "_act"));
  act.first->model_precision["result"] = binary;
  FIRMNET_ASSIGN_OR_RETURN(auto rescale,
                           ctx.AddStep(n, LayerKind::kBatchNorm, act.second, "_rescale"));
  const int64_t c = rescale.first->shape.empty() ? 1 : rescale.first->shape.back();
  rescale.first->weights["scale"] = ir::Tensor{{c}, std::vector<double>(static_cast<size_t>(c), s)};
  rescale.first->weights["bias"] =
      ir::Tensor{{c}, std::vector<double>(static_cast<size_t>(c), 0.0)};
  return ctx.Define(n, rescale.second);
}

}  // namespace

std::vector<OnnxRule> OnnxRules_binary_tanh() {
  return {{"qonnx.custom_op.general.BipolarQuant", &ImportBipolarQuant}};
}

}  // namespace firmnet::onnx
