// Registry dispatch: one switch per entry point, generated from layers.def. A layer listed there
// without a complete LayerImpl specialization fails the static_assert below.
#include "firmnet/layers/layer.h"

// Every layer folder's header, generated from layers.def (CMakeLists.txt).
#include "firmnet/layers/all_layers.h"

namespace firmnet::layers {

#define FIRMNET_LAYER(Enum, id, config_name)                                           \
  static_assert(Layer<LayerImpl<LayerKind::Enum>>,                                     \
                "layers/" #id "/" #id ".h must specialize LayerImpl<LayerKind::" #Enum \
                "> with InferShape, MakeKernel<R> and MakeFloatKernel");
#include "firmnet/layers/layers.def"
#undef FIRMNET_LAYER

Status InferShape(ir::Node& node, const NodeInputs& inputs) {
  switch (node.kind) {
#define FIRMNET_LAYER(Enum, id, config_name) \
  case LayerKind::Enum:                      \
    return LayerImpl<LayerKind::Enum>::InferShape(node, inputs);
#include "firmnet/layers/layers.def"
#undef FIRMNET_LAYER
  }
  return Internal("unknown layer kind for '" + node.name + "'");
}

Status CheckShapes(const ir::Graph& graph) {
  for (const ir::Node& node : graph.nodes) {
    if (node.kind == LayerKind::kInput) continue;
    NodeInputs inputs;
    for (const std::string& name : node.inputs) {
      const ir::Node* in = graph.Find(name);
      if (!in) return InvalidArgument(node.Label() + ": input '" + name + "' is not defined");
      inputs.push_back(in);
    }
    ir::Node copy = node;
    if (Status st = InferShape(copy, inputs); !st.ok()) return st.WithContext(node.Label());
    if (copy.shape != node.shape) {
      return InvalidArgument(node.Label() + ": shape " + ir::FormatShape(node.shape) +
                             " differs from the shape its inputs give, " +
                             ir::FormatShape(copy.shape));
    }
  }
  return OkStatus();
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                     const NodeInputs& inputs) {
  switch (node.kind) {
#define FIRMNET_LAYER(Enum, id, config_name) \
  case LayerKind::Enum:                      \
    return LayerImpl<LayerKind::Enum>::template MakeKernel<R>(node, inputs);
#include "firmnet/layers/layers.def"
#undef FIRMNET_LAYER
  }
  return Internal("unknown layer kind for '" + node.name + "'");
}

StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                            const NodeInputs& inputs) {
  switch (node.kind) {
#define FIRMNET_LAYER(Enum, id, config_name) \
  case LayerKind::Enum:                      \
    return LayerImpl<LayerKind::Enum>::MakeFloatKernel(node, inputs);
#include "firmnet/layers/layers.def"
#undef FIRMNET_LAYER
  }
  return Internal("unknown layer kind for '" + node.name + "'");
}

namespace {
template <LayerKind K>
StatusOr<FixedType> InferPrecisionOf(const ir::Node& node, const NodeInputs& inputs,
                                     std::string_view slot, const PrecisionContext& ctx) {
  using L = LayerImpl<K>;
  if constexpr (requires { L::InferPrecision(node, inputs, slot, ctx); }) {
    FIRMNET_ASSIGN_OR_RETURN(std::optional<FixedType> t,
                             L::InferPrecision(node, inputs, slot, ctx));
    if (t) return *t;
  }
  return ctx.default_precision;
}
}  // namespace

StatusOr<FixedType> InferPrecision(const ir::Node& node, const NodeInputs& inputs,
                                   std::string_view slot, const PrecisionContext& ctx) {
  switch (node.kind) {
#define FIRMNET_LAYER(Enum, id, config_name) \
  case LayerKind::Enum:                      \
    return InferPrecisionOf<LayerKind::Enum>(node, inputs, slot, ctx);
#include "firmnet/layers/layers.def"
#undef FIRMNET_LAYER
  }
  return Internal("unknown layer kind for '" + node.name + "'");
}

template StatusOr<std::unique_ptr<emu::Kernel<int64_t>>> MakeKernel<int64_t>(const ir::Node&,
                                                                             const NodeInputs&);
template StatusOr<std::unique_ptr<emu::Kernel<BigInt>>> MakeKernel<BigInt>(const ir::Node&,
                                                                           const NodeInputs&);

}  // namespace firmnet::layers
