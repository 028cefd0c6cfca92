// ONNX import of batchnorm: BatchNormalization (scale/bias folded in float64).
#include <array>

#include "firmnet/frontend/onnx/onnx_context.h"
#include "firmnet/layers/batchnorm/batchnorm_fold.h"

namespace firmnet::onnx {

namespace {

Status ImportBatchNorm(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(int64_t training, ctx.AttrInt(n, "training_mode", 0));
  if (training != 0) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "training_mode=1 is not supported; export the model in inference mode");
  }
  FIRMNET_ASSIGN_OR_RETURN(double eps, ctx.AttrFloat(n, "epsilon", F32(1e-5f)));
  // On a feature map ONNX's channel axis is 1: firmnet holds it last.
  if (x.shape.size() > 1) {
    FIRMNET_ASSIGN_OR_RETURN(x, ctx.FeatureMapIn(n, 0, x.shape.size() - 1));
  }
  const int64_t c = x.shape[0];
  static constexpr std::array<std::string_view, 4> kRoles = {"scale", "bias", "mean", "var"};
  std::array<ir::Tensor, 4> p;
  for (int k = 0; k < 4; ++k) {
    FIRMNET_ASSIGN_OR_RETURN(p[k], ctx.ConstIn(n, k + 1, kRoles[k]));
    if (p[k].shape.size() != 1 || p[k].shape[0] != c) {
      return ctx.Err(StatusCode::kInvalidArgument, std::string(kRoles[k]) + " '" + n.input(k + 1) +
                                                       "' has shape " + Join(p[k].shape) +
                                                       ", expected [" + std::to_string(c) +
                                                       "] (one value per feature)");
    }
  }
  layers::BatchNormFold fold = layers::FoldBatchNorm(&p[0], &p[1], p[2], p[3], eps);
  if (fold.bad_feature) {
    return ctx.Err(StatusCode::kInvalidArgument, "var + epsilon is not positive for feature " +
                                                     std::to_string(*fold.bad_feature));
  }
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node,
                           ctx.AddLayer(n, LayerKind::kBatchNorm, x, x.shape, x.perm));
  node->weights["scale"] = std::move(fold.scale);
  node->weights["bias"] = std::move(fold.bias);
  return OkStatus();
}

}  // namespace

std::vector<OnnxRule> OnnxRules_batchnorm() {
  return {{"BatchNormalization", &ImportBatchNorm},
          {"qonnx.custom_op.channels_last.BatchNormalization", &ImportBatchNorm}};
}

}  // namespace firmnet::onnx
