// Binary and ternary networks, as hls4ml's Vivado backend lowers them (its "quantization" flow,
// after type inference; docs/semantics.md, "Binary and ternary networks").
//
// merge_batchnorm_quantized_tanh (hls4ml's MergeBatchNormAndQuantizedTanh): a batchnorm read
// only by a binary_tanh or ternary_tanh becomes one batchnorm_quantized_tanh layer, named
// "bnbt_<batchnorm>", that compares its input with per-channel thresholds:
//   binary:  t = floor(-bias/scale * 2^F) / 2^F
//   ternary: hi = floor((0.5/scale - bias/scale) * 2^F) / 2^F,
//            lo = floor((-0.5/scale - bias/scale) * 2^F) / 2^F
// F = the fractional bits of the batchnorm's input type; the arithmetic is numpy's (float32 for
// float32 weights). Its result is ap_int<2> (-1/+1, or -1/0/+1).
//
//   before:  %bn = batchnorm(%fc) shape=[2] ...   scale [2, 4], bias [1, -1]
//            %act = binary_tanh(%bn) shape=[2]
//   after:   %bnbt_bn = batchnorm_quantized_tanh(%fc, levels=2) shape=[2]
//              precision{result=ap_int<2>}        threshold [-0.5, 0.25]
//
// quantize_dense_output (hls4ml's QuantizeDenseOutput): a dense whose weights are binary or
// ternary (Keras BinaryDense/TernaryDense: attribute weight_quantizer) and whose input is a
// batchnorm_quantized_tanh sums integers: its accumulator and result become
// ap_int<ceil(log2(n_in)) + 2>, its bias is dropped (zero), and the thresholds of the
// batchnorm_quantized_tanh layers that read it are floored to integers.
#pragma once

#include "firmnet/passes/pass.h"

namespace firmnet::passes {

class MergeBatchNormQuantizedTanhPass final : public Pass {
 public:
  std::string_view Name() const override { return "merge_batchnorm_quantized_tanh"; }
  std::string_view Summary() const override {
    return "merge a batchnorm and the binary/ternary tanh after it into thresholds (hls4ml)";
  }
  StatusOr<bool> Run(ir::Graph& g) override;
};

class QuantizeDenseOutputPass final : public Pass {
 public:
  std::string_view Name() const override { return "quantize_dense_output"; }
  std::string_view Summary() const override {
    return "integer accumulator and result for a binary/ternary dense after thresholds (hls4ml)";
  }
  StatusOr<bool> Run(ir::Graph& g) override;
};

}  // namespace firmnet::passes
