// What the merge layers share (add, subtract, multiply, average, maximum, minimum, concatenate,
// dot; docs/semantics.md, "Merges"): input checks, the elementwise merge kernels, hls4ml's
// `auto` precision rules for merges, and exact division of a raw sum by a small count.
//
// hls4ml merges exactly two tensors (its converters refuse more). firmnet also takes more, and
// defines them so that two inputs are always hls4ml's arithmetic:
//   add, subtract, multiply, maximum, minimum: a left-to-right fold, each intermediate cast to
//     the result type: r = (result_t)(x0 op x1); r = (result_t)(r op x2); ... (what chaining
//     two-input hls4ml layers of the same result type computes);
//   average: the exact mean, cast once: (result_t)((x0 + ... + x_{n-1}) / n) (hls4ml's
//     `(a + b) * 0.5` for n = 2; a chain of two-input averages would not be a mean).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "firmnet/common/status.h"
#include "firmnet/emu/kernel.h"
#include "firmnet/ir/graph.h"
#include "firmnet/layers/common/auto_precision.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers::common {

enum class MergeOp : uint8_t { kAdd, kSubtract, kMultiply, kAverage, kMaximum, kMinimum };

// The schema of an elementwise merge: only "result"; two or more inputs (subtract: two). Inline:
// the registry (firmnet_core) reads schemas without linking the kernels.
inline LayerSchema ElementwiseMergeSchema(MergeOp op) {
  return {.min_inputs = 2, .max_inputs = op == MergeOp::kSubtract ? 2 : kAnyInputs};
}

// The input count (max_inputs may be kAnyInputs) and that every input has a shape with positive
// dimensions. Errors start with the layer's label.
Status CheckMergeInputs(const ir::Node& node, const NodeInputs& inputs, int min_inputs,
                        int max_inputs);

// Elementwise merges: every input has the same shape (no broadcasting), and so has the output.
Status InferElementwiseMergeShape(ir::Node& node, const NodeInputs& inputs);

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeElementwiseMergeKernel(MergeOp op,
                                                                     const ir::Node& node,
                                                                     const NodeInputs& inputs);
StatusOr<std::unique_ptr<emu::FloatKernel>> MakeElementwiseMergeFloatKernel(
    MergeOp op, const ir::Node& node, const NodeInputs& inputs);

// hls4ml's _infer_merge_precision for "result", folded over the inputs left to right:
//   add, subtract, average: I = max(Ia + [b signed, a unsigned], Ib + [a signed, b unsigned]) + 1,
//     F = max(Fa, Fb), signed if either is (subtract: always signed); capped by maximum;
//   multiply: W = Wa + Wb, I = Ia + Ib, signed if either is; capped by maximum;
//   maximum, minimum: all inputs of one type: that type (with its modes); otherwise EitherBits,
//     not capped (hls4ml applies no maximum here).
StatusOr<std::optional<FixedType>> InferElementwiseMergePrecision(MergeOp op, const ir::Node& node,
                                                                  const NodeInputs& inputs,
                                                                  std::string_view slot,
                                                                  const PrecisionContext& ctx);

// hls4ml's type that holds values of either of two types (maximum/minimum and concatenate of
// different types): signed if either is, an unsigned operand's integer bits + 1 when the result
// is signed, I = the larger integer bits, F = the larger fractional bits.
InferredBits EitherBits(const InferredBits& a, const InferredBits& b);

// Floor division of a raw value by a small positive count: q = floor(v / n), returns
// v - q * n (in [0, n)).
int64_t FloorDivide(int64_t v, int64_t n, int64_t& q);
int64_t FloorDivide(const BigInt& v, int64_t n, BigInt& q);

}  // namespace firmnet::layers::common
