// Element arithmetic as numpy does it on weight arrays, for the few float steps that happen
// before quantization (batchnorm folding in the importers and in fuse_batchnorm). hls4ml computes
// these with numpy on the arrays the model file holds, usually float32, so the result is a
// float32 rounding at every step; computing them in float64 instead gives values that can differ
// in the last float32 bit and, rarely, quantize differently. Each operation rounds once to the
// promoted type (float32 when both operands are float32; a Python scalar such as epsilon is
// "weak" and takes the array's type, as in numpy); -ffp-contract=off keeps a*b + c two
// roundings. Alongside, every element carries the same computation in float64 from the model's
// values, which the float reference uses (Tensor::reference). docs/semantics.md, "Float steps
// before quantization".
#pragma once

#include <cmath>
#include <utility>
#include <vector>

#include "firmnet/ir/graph.h"

namespace firmnet::ir {

// One element: `v` as numpy computes it, `ref` the same steps in float64 (the float reference).
struct Elem {
  double v;
  ElementType t;
  double ref;
};

inline ElementType Promote(ElementType a, ElementType b) {
  return a == ElementType::kF32 && b == ElementType::kF32 ? ElementType::kF32 : ElementType::kF64;
}

// A Python float scalar next to an array of type `t`.
inline Elem Weak(double v, ElementType t) {
  return {t == ElementType::kF32 ? static_cast<double>(static_cast<float>(v)) : v, t, v};
}

inline Elem At(const Tensor& tensor, size_t i) {
  return {tensor.data[i], tensor.dtype, tensor.ReferenceData()[i]};
}

template <typename F32Op, typename F64Op>
Elem Apply(Elem a, Elem b, F32Op f32, F64Op f64) {
  const ElementType t = Promote(a.t, b.t);
  const double ref = f64(a.ref, b.ref);
  if (t == ElementType::kF32) {
    return {static_cast<double>(f32(static_cast<float>(a.v), static_cast<float>(b.v))), t, ref};
  }
  return {f64(a.v, b.v), t, ref};
}

inline Elem Mul(Elem a, Elem b) {
  return Apply(
      a, b, [](float x, float y) { return x * y; }, [](double x, double y) { return x * y; });
}
inline Elem Add(Elem a, Elem b) {
  return Apply(
      a, b, [](float x, float y) { return x + y; }, [](double x, double y) { return x + y; });
}
inline Elem Sub(Elem a, Elem b) {
  return Apply(
      a, b, [](float x, float y) { return x - y; }, [](double x, double y) { return x - y; });
}
inline Elem Div(Elem a, Elem b) {
  return Apply(
      a, b, [](float x, float y) { return x / y; }, [](double x, double y) { return x / y; });
}
inline Elem Sqrt(Elem a) {
  const double ref = std::sqrt(a.ref);
  if (a.t == ElementType::kF32) {
    return {static_cast<double>(std::sqrt(static_cast<float>(a.v))), a.t, ref};
  }
  return {std::sqrt(a.v), a.t, ref};
}

// Builds a tensor element by element: numpy's values, and the float64 reference where they differ.
class TensorBuilder {
 public:
  explicit TensorBuilder(Shape shape) {
    t_.shape = std::move(shape);
    const auto n = static_cast<size_t>(NumElements(t_.shape));
    t_.data.resize(n);
    ref_.resize(n);
  }
  void Set(size_t i, const Elem& e) {
    t_.data[i] = e.v;
    t_.dtype = e.t;
    ref_[i] = e.ref;
    differs_ = differs_ || e.ref != e.v;
  }
  Tensor Finish() && {
    if (differs_) t_.reference = std::move(ref_);
    return std::move(t_);
  }

 private:
  Tensor t_;
  std::vector<double> ref_;
  bool differs_ = false;
};

}  // namespace firmnet::ir
