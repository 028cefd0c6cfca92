// merge_linear_activation: hls4ml's MergeLinearActivation for QONNX Quant casts.
//
// A QONNX Quant on a layer output imports as a `linear` cast with the Quant's type (attribute
// quant=1). hls4ml removes such a cast when the layer before it is a dense, a convolution, a
// batchnorm or an activation whose result type is left to inference (`auto`): that layer's
// result becomes the Quant's type (the accumulator is inferred as before, and one cast does the
// Quant's rounding and saturation). After any other layer (input, pooling, merge, concatenate,
// resize, a layer with an explicit result type) the cast stays. Runs after the config is applied
// and before infer_precision (pipeline "resolve"), after fuse_batchnorm as in hls4ml's flow.
//
//   before:  %c = conv2d(%x, ...) precision{result=auto, ...}
//            %q = linear(%c, quant=1) precision{result=ap_fixed<4,0,AP_RND_CONV,AP_SAT>}
//            %r = relu(%q)
//   after:   %c = conv2d(%x, ...) precision{result=ap_fixed<4,0,AP_RND_CONV,AP_SAT>, ...}
//              model_precision{result=ap_fixed<4,0,AP_RND_CONV,AP_SAT>}
//            %r = relu(%c)
#pragma once

#include "firmnet/passes/pass.h"

namespace firmnet::passes {

class MergeLinearActivationPass final : public Pass {
 public:
  std::string_view Name() const override { return "merge_linear_activation"; }
  std::string_view Summary() const override {
    return "fold a QONNX Quant cast into the layer before it when that layer's result is auto "
           "(hls4ml)";
  }
  StatusOr<bool> Run(ir::Graph& g) override;
};

}  // namespace firmnet::passes
