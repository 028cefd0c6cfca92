#include "firmnet/passes/infer_shapes.h"

#include "firmnet/layers/layer.h"

namespace firmnet::passes {

StatusOr<bool> InferShapesPass::Run(ir::Graph& g) {
  bool changed = false;
  for (size_t k = 0; k < g.nodes.size(); ++k) {
    ir::Node& node = g.nodes[k];
    // Only earlier nodes count: the graph is in topological order, and a later node has no
    // shape yet.
    auto earlier = [&](const std::string& name) -> const ir::Node* {
      for (size_t j = 0; j < k; ++j) {
        if (g.nodes[j].name == name) return &g.nodes[j];
      }
      return nullptr;
    };
    FIRMNET_ASSIGN_OR_RETURN(layers::ResolvedInputs inputs, layers::ResolveInputs(node, earlier));
    const ir::Shape before = node.shape;
    const std::vector<ir::Shape> before_extra = node.extra_outputs;
    FIRMNET_RETURN_IF_ERROR(layers::InferShape(node, inputs.nodes));
    changed = changed || node.shape != before || node.extra_outputs != before_extra;
  }
  return changed;
}

}  // namespace firmnet::passes
