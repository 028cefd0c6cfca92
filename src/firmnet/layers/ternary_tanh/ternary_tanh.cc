#include "firmnet/layers/ternary_tanh/ternary_tanh.h"

#include <algorithm>
#include <type_traits>

#include "firmnet/layers/common/elementwise.h"

namespace firmnet::layers {
namespace {

template <typename R>
struct TernaryTanhOp {
  emu::Caster twice;  // 2x (x's raw value one exponent up) cast to the input type
  emu::Caster cast;   // from exponent 0 to the result type
  R hi;               // d > 1  <=>  d_raw > hi (d_raw is an integer)
  R lo;               // d > -1 <=>  d_raw > lo
  R operator()(const R& x, emu::LayerCounters& c) const {
    const R d = twice(x, c);
    if (d > hi) return cast(R(1), c);
    if (d > lo) return R(0);
    return cast(R(-1), c);
  }
};

// floor(k * 2^-e) for k = +-1 and the input's lsb exponent e, as a raw value; clamped far
// outside the range of raw values (an int64 raw value of the emulator stays below 2^62).
template <typename R>
R FloorScaled(int k, int e) {
  if (e > 0) return R(k > 0 ? 0 : -1);  // +-2^-e is a fraction of one lsb
  const int limit = std::is_same_v<R, int64_t> ? 61 : BigInt::kBits - 8;
  const R p = common::PowerOfTwo<R>(std::min(-e, limit));
  return k > 0 ? p : R(0) - p;
}

}  // namespace

Status LayerImpl<LayerKind::kTernaryTanh>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  return common::InferUnaryShape(node, inputs);
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kTernaryTanh>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  const int e = in.lsb_exponent();
  return common::MakeUnaryKernel<R>(node, common::FitsInt64({in, result}), [&](auto tag) {
    using T = decltype(tag);
    return TernaryTanhOp<T>{emu::Caster(e + 1, in), emu::Caster(0, result), FloorScaled<T>(1, e),
                            FloorScaled<T>(-1, e)};
  });
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kTernaryTanh);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kTernaryTanh>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  return common::MakeUnaryFloatKernel(
      node, [](double x) { return x > 0.5 ? 1.0 : (x > -0.5 ? 0.0 : -1.0); });
}

}  // namespace firmnet::layers
