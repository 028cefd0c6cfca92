#include "firmnet/layers/binary_tanh/binary_tanh.h"

#include "firmnet/layers/common/elementwise.h"

namespace firmnet::layers {
namespace {

template <typename R>
struct BinaryTanhOp {
  emu::Caster cast;  // from exponent 0 (the integers -1 and +1) to the result type
  R operator()(const R& x, emu::LayerCounters& c) const {
    return cast(common::IsNegative(x) ? R(-1) : R(1), c);
  }
};

}  // namespace

Status LayerImpl<LayerKind::kBinaryTanh>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  return common::InferUnaryShape(node, inputs);
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kBinaryTanh>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  return common::MakeUnaryKernel<R>(node, common::FitsInt64({in, result}), [&](auto tag) {
    return BinaryTanhOp<decltype(tag)>{emu::Caster(0, result)};
  });
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kBinaryTanh);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kBinaryTanh>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  return common::MakeUnaryFloatKernel(node, [](double x) { return x >= 0 ? 1.0 : -1.0; });
}

}  // namespace firmnet::layers
