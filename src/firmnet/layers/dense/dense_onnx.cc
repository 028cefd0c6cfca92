// ONNX import of dense: Gemm, MatMul (a later Add of a constant bias folds into the
// dense layer: layers/add/add_onnx.cc).
#include "firmnet/frontend/onnx/onnx_context.h"
#include "firmnet/ir/printer.h"

namespace firmnet::onnx {

namespace {

Status CheckRank2(const ir::Tensor& w) {
  if (w.shape.size() != 2) {
    return InvalidArgument("has shape " + ir::FormatShape(w.shape) + " (rank " +
                           std::to_string(w.shape.size()) + "), expected a rank-2 matrix");
  }
  if (w.shape[0] == 0 || w.shape[1] == 0) {
    return InvalidArgument("has an empty dimension " + ir::FormatShape(w.shape));
  }
  return OkStatus();
}

Status CheckDenseInput(const OnnxContext& ctx, const NodeProto& n, const Value& a, int64_t n_in) {
  if (a.shape.size() != 1) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "input '" + n.input(0) + "' has feature shape " + Join(a.shape) +
                       "; a dense layer needs a 1-D input (add a Flatten before it)");
  }
  if (a.shape[0] != n_in) {
    return ctx.Err(StatusCode::kInvalidArgument, "input '" + n.input(0) + "' has " +
                                                     std::to_string(a.shape[0]) +
                                                     " features, but weight '" + n.input(1) +
                                                     "' expects " + std::to_string(n_in));
  }
  return OkStatus();
}

Status ImportGemm(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value a, ctx.LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(int64_t trans_a, ctx.AttrInt(n, "transA", 0));
  FIRMNET_ASSIGN_OR_RETURN(int64_t trans_b, ctx.AttrInt(n, "transB", 0));
  FIRMNET_ASSIGN_OR_RETURN(double alpha, ctx.AttrFloat(n, "alpha", 1.0));
  FIRMNET_ASSIGN_OR_RETURN(double beta, ctx.AttrFloat(n, "beta", 1.0));
  if (trans_a != 0) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "transA=" + std::to_string(trans_a) +
                       " (a transposed layer input) is not supported; only transA=0");
  }
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor b, ctx.ConstIn(n, 1, "weight"));
  if (Status s = CheckRank2(b); !s.ok()) {
    return ctx.Err(StatusCode::kInvalidArgument, "weight '" + n.input(1) + "' " + s.message());
  }
  const int64_t n_in = trans_b != 0 ? b.shape[1] : b.shape[0];
  const int64_t n_out = trans_b != 0 ? b.shape[0] : b.shape[1];
  FIRMNET_RETURN_IF_ERROR(CheckDenseInput(ctx, n, a, n_in));
  ir::Tensor weight{{n_in, n_out}, std::vector<double>(static_cast<size_t>(n_in * n_out))};
  for (int64_t i = 0; i < n_in; ++i) {
    for (int64_t j = 0; j < n_out; ++j) {
      const double w = trans_b != 0 ? b.data[j * n_in + i] : b.data[i * n_out + j];
      // Skip the multiply for alpha == 1 so that the stored value is bit-identical.
      weight.data[i * n_out + j] = alpha == 1.0 ? w : alpha * w;
    }
  }
  if (alpha == 1.0) weight.dtype = b.dtype;
  ir::Tensor bias{{n_out}, std::vector<double>(static_cast<size_t>(n_out), 0.0)};
  const bool has_c = ctx.HasInput(n, 2);
  if (has_c) {
    FIRMNET_ASSIGN_OR_RETURN(ir::Tensor c, ctx.ConstIn(n, 2, "bias"));
    FIRMNET_ASSIGN_OR_RETURN(bias.data, ctx.BroadcastBias(c, n_out, "bias '" + n.input(2) + "'"));
    if (beta != 1.0) {
      for (double& v : bias.data) v *= beta;
    } else {
      bias.dtype = c.dtype;
    }
  }
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, ctx.AddLayer(n, LayerKind::kDense, a, {n_out}));
  node->weights["weight"] = std::move(weight);
  node->weights["bias"] = std::move(bias);
  // A QONNX-quantized B or C keeps its Quant's type unless alpha/beta scale it.
  if (alpha == 1.0) ctx.ApplyConstQuant(n, 1, *node, "weight");
  if (beta == 1.0) ctx.ApplyConstQuant(n, 2, *node, "bias");
  if (!has_c) ctx.MarkBiasFree(node->name);
  return OkStatus();
}

Status ImportMatMul(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value a, ctx.LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor b, ctx.ConstIn(n, 1, "weight"));
  if (Status s = CheckRank2(b); !s.ok()) {
    return ctx.Err(StatusCode::kInvalidArgument, "weight '" + n.input(1) + "' " + s.message());
  }
  const int64_t n_in = b.shape[0];
  const int64_t n_out = b.shape[1];
  FIRMNET_RETURN_IF_ERROR(CheckDenseInput(ctx, n, a, n_in));
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, ctx.AddLayer(n, LayerKind::kDense, a, {n_out}));
  node->weights["weight"] = std::move(b);
  node->weights["bias"] = ir::Tensor{{n_out}, std::vector<double>(static_cast<size_t>(n_out), 0.0)};
  ctx.ApplyConstQuant(n, 1, *node, "weight");
  ctx.MarkBiasFree(node->name);
  return OkStatus();
}

}  // namespace

std::vector<OnnxRule> OnnxRules_dense() {
  return {{"Gemm", &ImportGemm}, {"MatMul", &ImportMatMul}};
}

}  // namespace firmnet::onnx
