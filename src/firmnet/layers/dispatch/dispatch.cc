// Registry dispatch: one switch per entry point, generated from layers.def. A layer listed there
// without a complete LayerImpl specialization fails the static_assert below.
#include <algorithm>

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

StatusOr<ResolvedInputs> ResolveInputs(
    const ir::Node& node, const std::function<const ir::Node*(const std::string&)>& find) {
  ResolvedInputs r;
  for (const ir::TensorRef& ref : node.inputs) {
    const ir::Node* in = find(ref.node);
    if (!in) {
      return InvalidArgument(node.Label() + ": input '" + ref.ToString() + "' is not defined");
    }
    if (ref.port < 0 || ref.port >= in->NumOutputs()) {
      return InvalidArgument(node.Label() + ": input '" + ref.ToString() + "' names output port " +
                             std::to_string(ref.port) + ", but layer '" + in->name + "' has " +
                             std::to_string(in->NumOutputs()) + " output" +
                             (in->NumOutputs() == 1 ? "" : "s"));
    }
    if (ref.port == 0) {
      r.nodes.push_back(in);
      continue;
    }
    auto view = std::make_unique<ir::Node>();
    view->name = ref.ToString();
    view->kind = in->kind;
    view->shape = in->OutputShape(ref.port);
    view->attrs = in->attrs;
    view->precision = in->precision;
    view->auto_precision = in->auto_precision;
    view->settings = in->settings;
    view->origin = in->origin;
    r.nodes.push_back(view.get());
    r.views.push_back(std::move(view));
  }
  return r;
}

StatusOr<ResolvedInputs> ResolveInputs(const ir::Graph& graph, const ir::Node& node) {
  return ResolveInputs(node, [&](const std::string& name) { return graph.Find(name); });
}

Status CheckShapes(const ir::Graph& graph) {
  for (const ir::Node& node : graph.nodes) {
    if (node.kind == LayerKind::kInput) continue;
    FIRMNET_ASSIGN_OR_RETURN(ResolvedInputs inputs, ResolveInputs(graph, node));
    ir::Node copy = node;
    if (Status st = InferShape(copy, inputs.nodes); !st.ok()) return st.WithContext(node.Label());
    for (int p = 0; p < std::max(copy.NumOutputs(), node.NumOutputs()); ++p) {
      const bool both = p < copy.NumOutputs() && p < node.NumOutputs();
      if (both && copy.OutputShape(p) == node.OutputShape(p)) continue;
      const std::string port = node.NumOutputs() == 1 && copy.NumOutputs() == 1
                                   ? ""
                                   : " of output port " + std::to_string(p);
      return InvalidArgument(
          node.Label() + ": shape" + port + " " +
          (p < node.NumOutputs() ? ir::FormatShape(node.OutputShape(p)) : "(none)") +
          " differs from the shape its inputs give, " +
          (p < copy.NumOutputs() ? ir::FormatShape(copy.OutputShape(p)) : "(none)"));
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
