// fuse_batchnorm: folds batch normalizations into what feeds them, under hls4ml's rule.
//
// hls4ml (FuseBatchNormalization, FuseConsecutiveBatchNormalization) folds a batchnorm only into
// a producer whose result precision was left to inference (`auto`): with an explicit result type
// the producer's output is cast first, and the batchnorm stays a layer with its own quantized
// scale, bias and result cast. So this pass runs after the config is applied and before
// infer_precision (driver pipeline "resolve"). Two patterns, tried in hls4ml's order until
// neither applies:
//   1. batchnorm after a batchnorm whose result is auto: y = s1*(s0*x + b0) + b1 becomes one
//      batchnorm with scale s0*s1 and bias s1*b0 + b1; it keeps the second one's name, types and
//      settings.
//   2. batchnorm after a dense whose result is auto: W'[i][j] = W[i][j]*scale[j],
//      b'[j] = scale[j]*b[j] + bias[j]; the dense keeps its name, settings and weight/bias types,
//      and its auto result is inferred afresh for the fused weights. The batchnorm's own types are
//      dropped, as in hls4ml.
// The producer must have no other reader and must not be a graph output. The new weights are
// computed in the element type numpy would use (float32 when both operands are float32, as for
// Keras and ONNX weights), so that they are bit for bit hls4ml's before quantization.
//
//   before:  %fc = dense(%x) shape=[2] precision{result=auto, weight=ap_fixed<8,3>}
//              bias f64[2] = [1, 1]
//              weight f64[1,2] = [1, 2]
//            %bn = batchnorm(%fc) shape=[2] precision{result=ap_fixed<10,4>}
//              bias f64[2] = [0.5, 0]
//              scale f64[2] = [2, -1]
//            %r = relu(%bn) shape=[2]
//   after:   %fc = dense(%x) shape=[2] precision{result=auto, weight=ap_fixed<8,3>}
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
    return "fold a batchnorm into a dense or batchnorm before it whose result is auto (hls4ml)";
  }
  StatusOr<bool> Run(ir::Graph& g) override;
};

// remove_nop_batchnorm: hls4ml's RemoveNopBatchNormalization, after type inference: a batchnorm
// whose scale is all 1 and bias all 0 is removed, and its readers read its input (with the
// input's type: the batchnorm's result cast goes too).
class RemoveNopBatchNormPass final : public Pass {
 public:
  std::string_view Name() const override { return "remove_nop_batchnorm"; }
  std::string_view Summary() const override {
    return "remove a batchnorm with scale 1 and bias 0 (hls4ml)";
  }
  StatusOr<bool> Run(ir::Graph& g) override;
};

}  // namespace firmnet::passes
