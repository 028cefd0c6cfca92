// infer_precision: gives every `auto` precision slot a type, as hls4ml's InferPrecisionTypes does.
//
// Runs after the config is applied and after fuse_batchnorm (driver pipeline "resolve"). For each
// layer in graph order (so that inputs are resolved first), each `auto` slot gets the layer's
// rule (layers::InferPrecision): dense accum/result hold every exact sum, a batchnorm result holds
// x*scale + bias exactly, a reshape keeps its input's type; every other slot (weights, biases,
// activations, tables) takes the model's default precision (Model.Precision's default,
// graph.settings.default_precision). Within a layer, weights and other slots come first, then
// `accum`, then `result`, because the rules read them. Slots stay listed in auto_precision.
//
//   before:  settings ... precision=ap_fixed<16,6>
//            %fc = dense(%x) shape=[3] precision{result=auto, weight=ap_fixed<8,3>, bias=auto,
//                                                accum=auto}
//   after:   %fc = dense(%x) shape=[3] precision{result=auto:ap_fixed<27,12>,
//                                                weight=ap_fixed<8,3>,
//                                                bias=auto:ap_fixed<16,6>,
//                                                accum=auto:ap_fixed<27,12>}
//   (x of type ap_fixed<16,6>, 4 inputs: the products' sum has 8+16+2 = 26 bits, 3+6+2 = 11 of
//   them integer; adding the bias gives 12 integer and max(15, 10) fractional bits.)
#pragma once

#include "firmnet/passes/pass.h"

namespace firmnet::passes {

class InferPrecisionPass final : public Pass {
 public:
  std::string_view Name() const override { return "infer_precision"; }
  std::string_view Summary() const override {
    return "give every auto precision slot a type (hls4ml's precision inference)";
  }
  StatusOr<bool> Run(ir::Graph& g) override;
};

}  // namespace firmnet::passes
