#include "firmnet/passes/infer_shapes.h"

#include "firmnet/layers/layer.h"

namespace firmnet::passes {

StatusOr<bool> InferShapesPass::Run(ir::Graph& g) {
  bool changed = false;
  for (size_t k = 0; k < g.nodes.size(); ++k) {
    ir::Node& node = g.nodes[k];
    layers::NodeInputs inputs;
    for (const std::string& name : node.inputs) {
      // Only earlier nodes count: the graph is in topological order, and a later node has no
      // shape yet.
      const ir::Node* in = nullptr;
      for (size_t j = 0; j < k; ++j) {
        if (g.nodes[j].name == name) in = &g.nodes[j];
      }
      if (!in) {
        return InvalidArgument("layer '" + node.name + "' (" + std::string(LayerKindId(node.kind)) +
                               "): input '" + name + "' is not defined before it");
      }
      inputs.push_back(in);
    }
    const ir::Shape before = node.shape;
    FIRMNET_RETURN_IF_ERROR(layers::InferShape(node, inputs));
    changed = changed || node.shape != before;
  }
  return changed;
}

}  // namespace firmnet::passes
