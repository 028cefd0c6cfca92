// What every layer folder provides, stated as a C++20 concept.
//
// Each folder layers/<id>/ specializes LayerImpl<LayerKind::kX> with:
//   InferShape(node, inputs)        -> Status: checks attrs/weights/input shapes, sets node.shape.
//   MakeKernel<R>(node, inputs)     -> StatusOr<unique_ptr<emu::Kernel<R>>> for R = int64_t, BigInt
//                                      (node and inputs have shapes and precisions resolved).
//   MakeFloatKernel(node, inputs)   -> StatusOr<unique_ptr<emu::FloatKernel>>.
// layers/dispatch.cc instantiates the specializations from layers.def and static_asserts the
// concept, so a layer that is listed but incomplete does not compile.
#pragma once

#include <concepts>
#include <memory>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/emu/kernel.h"
#include "firmnet/ir/graph.h"

namespace firmnet::layers {

using NodeInputs = std::vector<const ir::Node*>;

template <LayerKind K>
struct LayerImpl;  // specialized in each layer folder

template <typename L>
concept Layer = requires(ir::Node& node, const ir::Node& cnode, const NodeInputs& in) {
  { L::InferShape(node, in) } -> std::same_as<Status>;
  {
    L::template MakeKernel<int64_t>(cnode, in)
    } -> std::same_as<StatusOr<std::unique_ptr<emu::Kernel<int64_t>>>>;
  {
    L::template MakeKernel<BigInt>(cnode, in)
    } -> std::same_as<StatusOr<std::unique_ptr<emu::Kernel<BigInt>>>>;
  { L::MakeFloatKernel(cnode, in) } -> std::same_as<StatusOr<std::unique_ptr<emu::FloatKernel>>>;
};

// Registry dispatch (layers/dispatch.cc).
Status InferShape(ir::Node& node, const NodeInputs& inputs);
template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                     const NodeInputs& inputs);
StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                            const NodeInputs& inputs);

}  // namespace firmnet::layers

// Explicit instantiations of LayerImpl<Kind>::MakeKernel for both raw types; each layer's .cc
// defines the member template and then uses this macro (inside namespace firmnet::layers).
#define FIRMNET_INSTANTIATE_MAKE_KERNEL(Kind)                                                    \
  template StatusOr<std::unique_ptr<emu::Kernel<int64_t>>> LayerImpl<Kind>::MakeKernel<int64_t>( \
      const ir::Node&, const NodeInputs&);                                                       \
  template StatusOr<std::unique_ptr<emu::Kernel<BigInt>>> LayerImpl<Kind>::MakeKernel<BigInt>(   \
      const ir::Node&, const NodeInputs&)
