// concatenate (Keras Concatenate): the inputs joined along `axis`, every value cast to the
// result type (hls4ml's concatenate1d/2d/3d: res[...] = data[...]). Two or more inputs of one
// rank whose other dimensions are equal; any rank (hls4ml: up to 3). docs/semantics.md,
// "Merges".
#pragma once

#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kConcatenate> {
  // `axis` indexes the shape without the batch (0 is the first feature dimension); negative
  // counts from the end as in numpy; absent means -1 (Keras' default).
  static LayerSchema Schema() {
    return {.attrs = {{.key = "axis", .type = AttrType::kInt, .optional = true}},
            .min_inputs = 2,
            .max_inputs = kAnyInputs};
  }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
  // hls4ml's _infer_cat_precision: the inputs' type when they all have one; otherwise a type
  // holding each (common::EitherBits), capped by maximum, with the first input's non-default
  // rounding/overflow mode (and N) in input order.
  static StatusOr<std::optional<FixedType>> InferPrecision(const ir::Node& node,
                                                           const NodeInputs& inputs,
                                                           std::string_view slot,
                                                           const PrecisionContext& ctx);
};

}  // namespace firmnet::layers
