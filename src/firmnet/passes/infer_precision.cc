#include "firmnet/passes/infer_precision.h"

#include <vector>

#include "firmnet/layers/layer.h"
#include "firmnet/layers/registry.h"

namespace firmnet::passes {

StatusOr<bool> InferPrecisionPass::Run(ir::Graph& g) {
  const layers::PrecisionContext ctx{g.settings.default_precision, g.settings.max_precision,
                                     g.settings.bit_exact};
  bool changed = false;
  for (ir::Node& node : g.nodes) {
    if (node.auto_precision.empty()) continue;
    for (const ir::TensorRef& in : node.inputs) {
      const ir::Node* p = g.Find(in.node);
      if (!p || !p->precision.count("result")) {
        return InvalidArgument("layer '" + node.name + "': 'auto' precision needs the type of " +
                               "its input '" + in.ToString() +
                               "', which is not resolved before it");
      }
    }
    FIRMNET_ASSIGN_OR_RETURN(layers::ResolvedInputs resolved, layers::ResolveInputs(g, node));
    const layers::NodeInputs& inputs = resolved.nodes;
    // Rules read the node's own weight/bias/scale types and its accum: those come first.
    std::vector<std::string> order;
    for (const PrecisionSlot& slot : GetLayerInfo(node.kind).slots) {
      if (slot.name != "result" && slot.name != "accum") order.emplace_back(slot.name);
    }
    order.emplace_back("accum");
    order.emplace_back("result");
    for (const std::string& slot : order) {
      if (!node.auto_precision.count(slot)) continue;
      FIRMNET_ASSIGN_OR_RETURN(FixedType t, layers::InferPrecision(node, inputs, slot, ctx));
      auto [it, inserted] = node.precision.try_emplace(slot, t);
      if (!inserted && it->second == t) continue;
      it->second = t;
      changed = true;
    }
  }
  return changed;
}

}  // namespace firmnet::passes
