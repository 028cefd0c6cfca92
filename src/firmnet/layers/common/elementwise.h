// Building blocks for elementwise activation layers: shape inference for one-input layers,
// quantized constants from attributes, and kernels that apply one per-element operation.
//
// An activation folder writes its arithmetic once as an "op": a struct template over the raw
// type R with `R operator()(const R& x, emu::LayerCounters&) const`, and a double function for
// the float reference. MakeUnaryKernel turns the op into the emulator's kernels, choosing the
// fast int64_t form only when common::FitsInt64 allows it.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "firmnet/common/status.h"
#include "firmnet/emu/kernel.h"
#include "firmnet/ir/graph.h"
#include "firmnet/layers/common/raw.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers::common {

// "layer 'act1' (sigmoid)": how every activation error starts.
std::string LayerLabel(const ir::Node& node);

// Shortest round-trip-safe spelling of a double for messages ("0.29999999999999999" style).
std::string FormatDouble(double v);

// One input, attributes checked by the caller; the output shape is the input shape.
Status InferUnaryShape(ir::Node& node, const NodeInputs& inputs);

// A finite double attribute (an error names the layer and key when it is missing or not finite).
StatusOr<double> FiniteAttr(const ir::Node& node, const std::string& key);

// A constant quantized to the node's "param" slot: raw integer plus lsb exponent.
struct Param {
  BigInt raw;
  int exponent = 0;
};
// Reads attribute `key` and quantizes it to the node's "param" slot. Overflow is an error (it
// would silently change the constant), naming the layer, key, value and type.
StatusOr<Param> ParamAttr(const ir::Node& node, const std::string& key);

// Converts a Param's raw value into the kernel's representation.
template <typename R>
R ParamRaw(const Param& p) {
  R out;
  FromBig(p.raw, out);
  return out;
}

template <typename R, typename Op>
class UnaryKernel final : public emu::Kernel<R> {
 public:
  UnaryKernel(int64_t size, Op op) : size_(size), op_(std::move(op)) {}
  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters& counters) const override {
    const R* x = inputs[0];
    for (int64_t i = 0; i < size_; ++i) out[i] = op_(x[i], counters);
  }

 private:
  int64_t size_;
  Op op_;
};

template <typename Fn>
class UnaryFloatKernel final : public emu::FloatKernel {
 public:
  UnaryFloatKernel(int64_t size, Fn fn) : size_(size), fn_(std::move(fn)) {}
  void Run(std::span<const double* const> inputs, double* out) const override {
    const double* x = inputs[0];
    for (int64_t i = 0; i < size_; ++i) out[i] = fn_(x[i]);
  }

 private:
  int64_t size_;
  Fn fn_;
};

// Builds the kernel for raw type R from `make_op`, a callable that takes a tag R{} and returns
// the op for that representation. For R = int64_t and fits64 false, the BigInt op runs behind
// an adapter.
template <typename R, typename MakeOp>
StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeUnaryKernel(const ir::Node& node, bool fits64,
                                                          MakeOp make_op) {
  const int64_t n = ir::NumElements(node.shape);
  if constexpr (std::is_same_v<R, int64_t>) {
    if (!fits64) {
      auto op = make_op(BigInt());
      auto inner = std::make_unique<UnaryKernel<BigInt, decltype(op)>>(n, std::move(op));
      return std::unique_ptr<emu::Kernel<int64_t>>(
          std::make_unique<BigIntAdapter>(std::move(inner), std::vector<int64_t>{n}, n));
    }
  }
  auto op = make_op(R());
  return std::unique_ptr<emu::Kernel<R>>(
      std::make_unique<UnaryKernel<R, decltype(op)>>(n, std::move(op)));
}

template <typename Fn>
StatusOr<std::unique_ptr<emu::FloatKernel>> MakeUnaryFloatKernel(const ir::Node& node, Fn fn) {
  return std::unique_ptr<emu::FloatKernel>(
      std::make_unique<UnaryFloatKernel<Fn>>(ir::NumElements(node.shape), std::move(fn)));
}

// The input's result type (kernels receive raw values in it).
inline const FixedType& InputType(const NodeInputs& inputs) {
  FIRMNET_CHECK(inputs.size() == 1 && inputs[0] != nullptr) << "unary layer without its input";
  return inputs[0]->Precision("result");
}

}  // namespace firmnet::layers::common
