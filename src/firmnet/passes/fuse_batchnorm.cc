#include "firmnet/passes/fuse_batchnorm.h"

#include <algorithm>

namespace firmnet::passes {
namespace {

bool IsOutput(const ir::Graph& g, const std::string& name) {
  return std::find(g.outputs.begin(), g.outputs.end(), name) != g.outputs.end();
}

// Folds node `bn_index` into its dense producer when the pattern applies; returns whether it did.
StatusOr<bool> TryFuse(ir::Graph& g, size_t bn_index) {
  const ir::Node& bn = g.nodes[bn_index];
  if (bn.kind != LayerKind::kBatchNorm || bn.inputs.size() != 1) return false;
  ir::Node* dense = g.Find(bn.inputs[0]);
  if (!dense || dense->kind != LayerKind::kDense) return false;
  if (g.Consumers(dense->name).size() != 1 || IsOutput(g, dense->name)) return false;

  const std::string ctx = "fuse_batchnorm: layer '" + bn.name + "' (batchnorm) after layer '" +
                          dense->name + "' (dense)";
  const ir::Tensor* w = dense->Weight("weight");
  const ir::Tensor* b = dense->Weight("bias");
  const ir::Tensor* scale = bn.Weight("scale");
  const ir::Tensor* shift = bn.Weight("bias");
  if (!w || !b || !scale || !shift || w->shape.size() != 2) {
    return InvalidArgument(ctx +
                           ": missing weights (dense needs weight [n_in,n_out] and bias, "
                           "batchnorm needs scale and bias)");
  }
  const size_t n_out = static_cast<size_t>(w->shape[1]);
  if (w->data.size() % std::max<size_t>(n_out, 1) != 0 || b->data.size() != n_out ||
      scale->data.size() != n_out || shift->data.size() != n_out) {
    return InvalidArgument(ctx + ": sizes disagree: dense weight " + ir::FormatShape(w->shape) +
                           ", bias " + ir::FormatShape(b->shape) + ", batchnorm scale " +
                           ir::FormatShape(scale->shape) + ", bias " +
                           ir::FormatShape(shift->shape));
  }
  ir::Tensor new_w = *w;
  ir::Tensor new_b = *b;
  for (size_t i = 0; i < new_w.data.size(); ++i) new_w.data[i] *= scale->data[i % n_out];
  for (size_t j = 0; j < n_out; ++j) {
    new_b.data[j] = new_b.data[j] * scale->data[j] + shift->data[j];
  }
  dense->weights["weight"] = std::move(new_w);
  dense->weights["bias"] = std::move(new_b);
  if (auto it = bn.precision.find("result"); it != bn.precision.end()) {
    dense->precision["result"] = it->second;
  }

  const std::string bn_name = bn.name;
  const std::string dense_name = dense->name;
  for (ir::Node& n : g.nodes) {
    std::replace(n.inputs.begin(), n.inputs.end(), bn_name, dense_name);
  }
  std::replace(g.outputs.begin(), g.outputs.end(), bn_name, dense_name);
  g.nodes.erase(g.nodes.begin() + static_cast<std::ptrdiff_t>(bn_index));
  return true;
}

}  // namespace

StatusOr<bool> FuseBatchNormPass::Run(ir::Graph& g) {
  bool changed = false;
  size_t k = 0;
  while (k < g.nodes.size()) {
    FIRMNET_ASSIGN_OR_RETURN(bool fused, TryFuse(g, k));
    changed = changed || fused;
    if (!fused) ++k;  // after a fusion, index k holds the next node
  }
  return changed;
}

}  // namespace firmnet::passes
