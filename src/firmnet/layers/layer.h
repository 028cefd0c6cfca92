// What every layer folder provides, stated as a C++20 concept.
//
// Each folder layers/<id>/ specializes LayerImpl<LayerKind::kX> with:
//   Schema()                        -> LayerSchema: slots, attributes, weights, input counts,
//                                      config aliases (layers/registry.h).
//   InferShape(node, inputs)        -> Status: checks attrs/weights/input shapes, sets node.shape.
//   MakeKernel<R>(node, inputs)     -> StatusOr<unique_ptr<emu::Kernel<R>>> for R = int64_t, BigInt
//                                      (node and inputs have shapes and precisions resolved).
//   MakeFloatKernel(node, inputs)   -> StatusOr<unique_ptr<emu::FloatKernel>>.
// and may provide (optional; hls4ml has rules for few layers):
//   InferPrecision(node, inputs, slot, ctx) -> StatusOr<std::optional<FixedType>>: the type of
//                                      an `auto` slot, or nullopt for "no rule" (the model's
//                                      default precision, as hls4ml's _infer_default_type).
// layers/dispatch.cc instantiates the specializations from layers.def and static_asserts the
// concept, so a layer that is listed but incomplete does not compile.
#pragma once

#include <concepts>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/emu/kernel.h"
#include "firmnet/ir/graph.h"
#include "firmnet/layers/registry.h"

namespace firmnet::layers {

using NodeInputs = std::vector<const ir::Node*>;

template <LayerKind K>
struct LayerImpl;  // specialized in each layer folder

template <typename L>
concept Layer = requires(ir::Node& node, const ir::Node& cnode, const NodeInputs& in) {
  { L::Schema() } -> std::same_as<LayerSchema>;
  { L::InferShape(node, in) } -> std::same_as<Status>;
  {
    L::template MakeKernel<int64_t>(cnode, in)
    } -> std::same_as<StatusOr<std::unique_ptr<emu::Kernel<int64_t>>>>;
  {
    L::template MakeKernel<BigInt>(cnode, in)
    } -> std::same_as<StatusOr<std::unique_ptr<emu::Kernel<BigInt>>>>;
  { L::MakeFloatKernel(cnode, in) } -> std::same_as<StatusOr<std::unique_ptr<emu::FloatKernel>>>;
};

// What an `auto` slot is inferred from besides the node and its inputs: hls4ml's
// Model.Precision `default` and `maximum` (graph.settings).
struct PrecisionContext {
  FixedType default_precision;
  std::optional<FixedType> max_precision;
  bool bit_exact = false;  // hls4ml's bit-exact flow: activations keep every bit too
};

// The producers of a node's inputs as the layer functions see them: the producing node itself
// for output port 0; for port k >= 1 a view of it named "<node>:<k>" whose `shape` is port k's
// (kind, attributes, settings, precisions and origin copied, no weights), owned by `views`.
struct ResolvedInputs {
  NodeInputs nodes;
  std::vector<std::unique_ptr<ir::Node>> views;
};
// `find` looks a node up by name (null: not defined where `node` may read it). Errors name
// `node` and the input.
StatusOr<ResolvedInputs> ResolveInputs(
    const ir::Node& node, const std::function<const ir::Node*(const std::string&)>& find);
// The same over every node of `graph`.
StatusOr<ResolvedInputs> ResolveInputs(const ir::Graph& graph, const ir::Node& node);

// Registry dispatch (layers/dispatch.cc).
Status InferShape(ir::Node& node, const NodeInputs& inputs);
// Every node's shape against its layer's own shape inference from its inputs' shapes (the
// verifier knows only the schema): an error naming the first node whose shape differs.
Status CheckShapes(const ir::Graph& graph);
template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                     const NodeInputs& inputs);
StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                            const NodeInputs& inputs);
// The type of the `auto` slot `slot` of `node` (inputs' results and the node's other slots
// already resolved): the layer's rule, or ctx.default_precision where it has none.
StatusOr<FixedType> InferPrecision(const ir::Node& node, const NodeInputs& inputs,
                                   std::string_view slot, const PrecisionContext& ctx);

}  // namespace firmnet::layers

// Explicit instantiations of LayerImpl<Kind>::MakeKernel for both raw types; each layer's .cc
// defines the member template and then uses this macro (inside namespace firmnet::layers).
#define FIRMNET_INSTANTIATE_MAKE_KERNEL(Kind)                                                    \
  template StatusOr<std::unique_ptr<emu::Kernel<int64_t>>> LayerImpl<Kind>::MakeKernel<int64_t>( \
      const ir::Node&, const NodeInputs&);                                                       \
  template StatusOr<std::unique_ptr<emu::Kernel<BigInt>>> LayerImpl<Kind>::MakeKernel<BigInt>(   \
      const ir::Node&, const NodeInputs&)
