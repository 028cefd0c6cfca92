// Constant folding at import: the ONNX ops that exporters use to compute shapes and to prepare
// weights (PyTorch's `x.view(x.size(0), -1)` as Shape/Gather/Unsqueeze/Concat, a transposed
// quantized weight, a batchnorm written as Sub/Pow/Div/Mul/Add of constants) are evaluated when
// every input is a constant, so that raw exports (Brevitas' among them) load without a separate
// cleanup step. Shape also folds on a layer output: its shape is static.
#pragma once

#include <vector>

#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

// Folds `n` when its op is one of the foldable ones and its inputs are constants (for Shape: any
// value): defines its output as a constant and returns true. Ops that only move values
// (Identity, Reshape, Transpose, Squeeze, Unsqueeze, Flatten) keep a Quant's type on their
// output. Returns false when `n` is not foldable; an error names the input or attribute that
// does not fit the op.
StatusOr<bool> TryFoldConstant(OnnxContext& ctx, const NodeProto& n);

// Rules for the ops that make no layer (Shape, Gather, Cast, Pow, Sqrt, Neg, Reciprocal: on a
// layer output an error naming the input) and Div (a layer output divided by a constant is a
// batchnorm, ImportAffineConstant).
std::vector<OnnxRule> OnnxFoldRules();

}  // namespace firmnet::onnx
