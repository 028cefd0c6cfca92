#include "firmnet/passes/merge_linear_activation.h"

#include <algorithm>

#include "firmnet/layers/registry.h"

namespace firmnet::passes {
namespace {

// hls4ml's safe parents: Dense, Conv1D, Conv2D (and their depthwise subclasses),
// BatchNormalization and every Activation (the layers its config calls "Activation").
bool SafeParent(LayerKind k) {
  switch (k) {
    case LayerKind::kDense:
    case LayerKind::kConv1D:
    case LayerKind::kConv2D:
    case LayerKind::kDepthwiseConv1D:
    case LayerKind::kDepthwiseConv2D:
    case LayerKind::kBatchNorm:
      return true;
    default:
      break;
  }
  const auto& aliases = GetLayerInfo(k).config_aliases;
  return std::find(aliases.begin(), aliases.end(), "Activation") != aliases.end();
}

}  // namespace

StatusOr<bool> MergeLinearActivationPass::Run(ir::Graph& g) {
  bool changed = false;
  for (size_t i = 0; i < g.nodes.size();) {
    const ir::Node& cast = g.nodes[i];
    ir::Node* parent = nullptr;
    if (cast.kind == LayerKind::kLinear && cast.GetIntOr("quant", 0) != 0 &&
        cast.inputs.size() == 1 && cast.inputs[0].port == 0 && cast.precision.count("result")) {
      parent = g.Find(cast.inputs[0].node);
    }
    if (parent == nullptr || !SafeParent(parent->kind) ||
        parent->auto_precision.count("result") == 0) {
      ++i;
      continue;
    }
    const FixedType type = cast.precision.at("result");
    parent->precision["result"] = type;
    parent->model_precision["result"] = type;
    parent->auto_precision.erase("result");
    const ir::TensorRef self(cast.name);
    const ir::TensorRef replacement(parent->name);
    for (ir::Node& n : g.nodes) std::replace(n.inputs.begin(), n.inputs.end(), self, replacement);
    std::replace(g.outputs.begin(), g.outputs.end(), self, replacement);
    g.nodes.erase(g.nodes.begin() + static_cast<std::ptrdiff_t>(i));
    changed = true;
  }
  return changed;
}

}  // namespace firmnet::passes
