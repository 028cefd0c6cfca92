#include "firmnet/layers/linear/linear.h"

#include "firmnet/layers/common/elementwise.h"

namespace firmnet::layers {
namespace {

template <typename R>
struct LinearOp {
  emu::Caster cast;  // from the input type to the result type (emu::CastTo semantics)
  R operator()(const R& x, emu::LayerCounters& c) const { return cast(x, c); }
};

}  // namespace

Status LayerImpl<LayerKind::kLinear>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  return common::InferUnaryShape(node, inputs);
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kLinear>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  return common::MakeUnaryKernel<R>(node, common::FitsInt64({in, result}), [&](auto tag) {
    return LinearOp<decltype(tag)>{emu::Caster(in.lsb_exponent(), result)};
  });
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kLinear);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kLinear>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  return common::MakeUnaryFloatKernel(node, [](double x) { return x; });
}

}  // namespace firmnet::layers
