// infer_shapes: sets every node's output shape from its inputs, in topological order, by asking
// each layer (firmnet::layers::InferShape, which also checks attributes and weights against the
// input shapes).
//
//   before:  %x = input() shape=[16]
//            %fc = dense(%x)
//              weight f64[16,64] = [...]
//              bias f64[64] = [...]
//            %r = relu(%fc)
//   after:   %x = input() shape=[16]
//            %fc = dense(%x) shape=[64]
//              ...
//            %r = relu(%fc) shape=[64]
#pragma once

#include "firmnet/passes/pass.h"

namespace firmnet::passes {

class InferShapesPass final : public Pass {
 public:
  std::string_view Name() const override { return "infer_shapes"; }
  std::string_view Summary() const override {
    return "set every layer's output shape from its inputs, checking weights and attributes";
  }
  StatusOr<bool> Run(ir::Graph& g) override;
};

}  // namespace firmnet::passes
