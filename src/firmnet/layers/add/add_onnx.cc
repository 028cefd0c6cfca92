// ONNX import of add: Add (a merge of two layer outputs, the bias of a MatMul or of a Gemm
// without C, or a layer output plus a constant elsewhere) and Sum.
#include "firmnet/frontend/onnx/onnx_spatial.h"

namespace firmnet::onnx {

namespace {

Status ImportAdd(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_RETURN_IF_ERROR(ctx.NeedInput(n, 0));
  FIRMNET_RETURN_IF_ERROR(ctx.NeedInput(n, 1));
  // Two layer outputs: a merge (residual add).
  if (ctx.IsLayerOutput(n.input(0)) && ctx.IsLayerOutput(n.input(1))) return ImportMerge(ctx, n);
  int layer_side = -1;
  for (int i = 0; i < 2; ++i) {
    if (ctx.IsLayerOutput(n.input(i)) && ctx.IsConstant(n.input(1 - i))) layer_side = i;
  }
  if (layer_side < 0) {
    // Name the dangling input (an Add of two constants was folded before its rule ran).
    for (int i = 0; i < 2; ++i) {
      if (!ctx.IsLayerOutput(n.input(i)) && !ctx.IsConstant(n.input(i))) {
        FIRMNET_RETURN_IF_ERROR(ctx.LayerIn(n, i).status());
      }
    }
    return ctx.Err(StatusCode::kInternal, "an Add of two constants reached its rule unfolded");
  }
  const std::string& in_name = n.input(layer_side);
  const Value x = ctx.ValueOf(in_name);
  ir::Node* dense = x.node.port == 0 ? ctx.FindNode(x.node.node) : nullptr;
  const bool fusable = ctx.IsBiasFree(x.node.node) && ctx.Uses(in_name) == 1 && dense != nullptr &&
                       dense->kind == LayerKind::kDense;
  // Elsewhere: a scale-1 batchnorm adding the constant (hls4ml's ApplyAlpha).
  if (!fusable) return ImportAffineConstant(ctx, n);
  const int64_t n_out = dense->shape.at(0);
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor c, ctx.ConstIn(n, 1 - layer_side, "bias"));
  FIRMNET_ASSIGN_OR_RETURN(dense->weights["bias"].data,
                           ctx.BroadcastBias(c, n_out, "bias '" + n.input(1 - layer_side) + "'"));
  dense->weights["bias"].dtype = c.dtype;
  ctx.ApplyConstQuant(n, 1 - layer_side, *dense, "bias");
  ctx.ClearBiasFree(x.node.node);
  return ctx.Define(n, x);
}

}  // namespace

std::vector<OnnxRule> OnnxRules_add() { return {{"Add", &ImportAdd}, {"Sum", &ImportMerge}}; }

}  // namespace firmnet::onnx
