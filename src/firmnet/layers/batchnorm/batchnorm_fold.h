// batchnorm: the inference form from the trained parameters, shared by the importers.
//
// hls4ml computes scale = gamma / sqrt(var + epsilon) and bias = beta - scale * mean with numpy on
// the arrays the model file holds (float32 for Keras and ONNX models), so this does the same in
// numpy's element arithmetic (ir/numpy_arith.h). A missing gamma (Keras scale=False) is the
// Python scalar 1, a missing beta (center=False) the scalar 0. Header-only: the frontends use it
// without linking the layer library.
#pragma once

#include <cstddef>
#include <optional>

#include "firmnet/ir/numpy_arith.h"

namespace firmnet::layers {

struct BatchNormFold {
  ir::Tensor scale, bias;
  // The first feature whose var + epsilon is not positive (the fold is then unusable).
  std::optional<size_t> bad_feature;
};

inline BatchNormFold FoldBatchNorm(const ir::Tensor* gamma, const ir::Tensor* beta,
                                   const ir::Tensor& mean, const ir::Tensor& var, double epsilon) {
  const size_t n = var.data.size();
  BatchNormFold f;
  ir::TensorBuilder scale({static_cast<int64_t>(n)}), bias({static_cast<int64_t>(n)});
  for (size_t i = 0; i < n; ++i) {
    const ir::Elem denom = ir::Add(ir::At(var, i), ir::Weak(epsilon, var.dtype));
    if (!(denom.v > 0.0) || !(denom.ref > 0.0)) {
      f.bad_feature = i;
      return f;
    }
    const ir::Elem root = ir::Sqrt(denom);
    const ir::Elem g = gamma ? ir::At(*gamma, i) : ir::Weak(1.0, root.t);
    const ir::Elem s = ir::Div(g, root);
    const ir::Elem b = beta ? ir::At(*beta, i) : ir::Weak(0.0, s.t);
    scale.Set(i, s);
    bias.Set(i, ir::Sub(b, ir::Mul(s, ir::At(mean, i))));
  }
  f.scale = std::move(scale).Finish();
  f.bias = std::move(bias).Finish();
  return f;
}

}  // namespace firmnet::layers
