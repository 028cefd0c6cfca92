// Keras import of batchnorm: BatchNormalization over the last (channel) axis, folded to
// scale/bias in float64 (batchnorm_fold.h); on a feature map it applies per channel.
#include "firmnet/frontend/keras/keras_context.h"
#include "firmnet/frontend/keras/keras_shapes.h"
#include "firmnet/layers/batchnorm/batchnorm_fold.h"

namespace firmnet::keras {
namespace {

Status ImportBatchNorm(KerasContext& ctx) {
  FIRMNET_RETURN_IF_ERROR(RequireLastAxis(ctx));
  FIRMNET_ASSIGN_OR_RETURN(bool center, ctx.Bool("center", true));
  FIRMNET_ASSIGN_OR_RETURN(bool scale, ctx.Bool("scale", true));
  FIRMNET_ASSIGN_OR_RETURN(double epsilon, ctx.Number("epsilon", 1e-3));
  if (epsilon < 0) return ctx.Error("'epsilon' must not be negative");
  const int64_t n = ctx.input_shape().back();
  std::set<std::string> required = {"moving_mean", "moving_variance"};
  if (center) required.insert("beta");
  if (scale) required.insert("gamma");
  FIRMNET_ASSIGN_OR_RETURN(
      auto w, ctx.LoadWeights({"gamma", "beta", "moving_mean", "moving_variance"}, required));
  for (const auto& [key, t] : w) {
    if (required.count(key)) FIRMNET_RETURN_IF_ERROR(ctx.CheckShape(key, t, {n}));
  }
  layers::BatchNormFold fold =
      layers::FoldBatchNorm(scale ? &w["gamma"] : nullptr, center ? &w["beta"] : nullptr,
                            w["moving_mean"], w["moving_variance"], epsilon);
  if (fold.bad_feature) {
    return ctx.Error("moving_variance[" + std::to_string(*fold.bad_feature) +
                     "] + epsilon is not positive");
  }
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = LayerKind::kBatchNorm;
  node.weights["scale"] = std::move(fold.scale);
  node.weights["bias"] = std::move(fold.bias);
  return ctx.Emit(std::move(node)).status();
}

}  // namespace

std::vector<KerasRule> KerasRules_batchnorm() {  // QBatchNormalization: hls4ml ignores its
                                                 // gamma/beta/mean/variance quantizers.
  return {{"BatchNormalization", &ImportBatchNorm}, {"QBatchNormalization", &ImportBatchNorm}};
}

}  // namespace firmnet::keras
