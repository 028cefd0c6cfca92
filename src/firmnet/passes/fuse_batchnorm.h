// fuse_batchnorm: folds a batchnorm into the dense layer that feeds it.
//
// A batchnorm y = x*scale + bias whose only input is a dense (W, b) that nothing else reads
// becomes part of that dense, computed in float64 before any quantization:
//   W'[i][j] = W[i][j] * scale[j]      b'[j] = b[j] * scale[j] + bias[j]
// The dense keeps its name, settings and weight/bias/accum precisions; it takes the batchnorm's
// result precision when the batchnorm has one, because its consumers were configured for that
// output. Readers of the batchnorm (and graph outputs) now read the dense. A dense that is also a
// graph output is left alone: its unnormalized values are wanted.
//
//   before:  %fc = dense(%x) shape=[2]
//              bias f64[2] = [1, 1]
//              weight f64[1,2] = [1, 2]
//            %bn = batchnorm(%fc) shape=[2]
//              bias f64[2] = [0.5, 0]
//              scale f64[2] = [2, -1]
//            %r = relu(%bn) shape=[2]
//   after:   %fc = dense(%x) shape=[2]
//              bias f64[2] = [2.5, -1]
//              weight f64[1,2] = [2, -2]
//            %r = relu(%fc) shape=[2]
#pragma once

#include "firmnet/passes/pass.h"

namespace firmnet::passes {

class FuseBatchNormPass final : public Pass {
 public:
  std::string_view Name() const override { return "fuse_batchnorm"; }
  std::string_view Summary() const override {
    return "fold a batchnorm into the dense layer before it (float64 weights)";
  }
  StatusOr<bool> Run(ir::Graph& g) override;
};

}  // namespace firmnet::passes
