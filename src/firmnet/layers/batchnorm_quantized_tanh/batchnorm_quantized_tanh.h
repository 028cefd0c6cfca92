// batchnorm_quantized_tanh: a batch normalization followed by a binary or ternary tanh, merged
// into per-channel thresholds on the input (hls4ml's BatchNormalizationQuantizedTanh, made by
// the merge_batchnorm_quantized_tanh pass; docs/semantics.md, "Binary and ternary networks").
//   levels=2: y = x >= t_c ? +1 : -1                       (weight "threshold")
//   levels=3: y = x > hi_c ? +1 : (x <= lo_c ? -1 : 0)     (weights "threshold_hi", "threshold_lo")
// c = i mod n, n = the thresholds' size (one per value, or one per channel of a feature map).
// The thresholds are constants of the input's type (hls4ml declares them data_T), converted as
// hls4ml writes weights; the comparison is exact. The result is ap_int<2>; with levels=2 and
// xnor=1 the layer writes hls4ml's XNOR encoding instead (1 for +1, 0 for -1, in an ap_uint<1>),
// which merge_batchnorm_quantized_tanh sets where the layer is a graph output.
#pragma once

#include <memory>
#include <string>

#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kBatchNormQuantizedTanh> {
  static LayerSchema Schema() {
    return {
        .slots = ResultAnd(),
        .attrs = {{"levels", AttrType::kInt}, {"xnor", AttrType::kInt, /*optional=*/true}},
        .weights = {{"threshold", 1, true}, {"threshold_hi", 1, true}, {"threshold_lo", 1, true}},
        .check = &CheckWeights};
  }
  // levels is 2 or 3 and the weights are the ones it needs (the registry's check: inline,
  // as the verifier links without the kernels).
  static Status CheckWeights(const ir::Node& node) {
    const int64_t levels = node.GetIntOr("levels", 0);
    if (levels != 2 && levels != 3) {
      return InvalidArgument("attribute 'levels' must be 2 (binary) or 3 (ternary), got " +
                             std::to_string(levels));
    }
    const bool binary = levels == 2;
    const int64_t xnor = node.GetIntOr("xnor", 0);
    if ((xnor != 0 && xnor != 1) || (xnor == 1 && !binary)) {
      return InvalidArgument("attribute 'xnor' must be 0, or 1 with levels=2");
    }
    const char* want = binary ? "'threshold'" : "'threshold_hi' and 'threshold_lo'";
    const bool has_t = node.Weight("threshold") != nullptr;
    const bool has_hi = node.Weight("threshold_hi") != nullptr;
    const bool has_lo = node.Weight("threshold_lo") != nullptr;
    if (binary ? (!has_t || has_hi || has_lo) : (has_t || !has_hi || !has_lo)) {
      return InvalidArgument(std::string("levels=") + std::to_string(levels) +
                             " needs exactly the weights " + want);
    }
    if (!binary && node.Weight("threshold_hi")->shape != node.Weight("threshold_lo")->shape) {
      return InvalidArgument("threshold_hi shape " +
                             ir::FormatShape(node.Weight("threshold_hi")->shape) +
                             " does not match threshold_lo shape " +
                             ir::FormatShape(node.Weight("threshold_lo")->shape));
    }
    return OkStatus();
  }
  // The value below the (lower) threshold: -1, or 0 under xnor=1.
  static int Low(const ir::Node& node) { return node.GetIntOr("xnor", 0) != 0 ? 0 : -1; }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
};
static_assert(Layer<LayerImpl<LayerKind::kBatchNormQuantizedTanh>>);

// The result type of every batchnorm_quantized_tanh: the values -1, 0, +1.
inline constexpr std::string_view kTernaryType = "ap_int<2>";

}  // namespace firmnet::layers
