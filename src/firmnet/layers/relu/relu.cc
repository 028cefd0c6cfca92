#include "firmnet/layers/relu/relu.h"

#include "firmnet/layers/common/elementwise.h"

namespace firmnet::layers {
namespace {

template <typename R>
struct ReluOp {
  emu::Caster cast;  // from the input type to the result type (emu::CastTo semantics)
  R operator()(const R& x, emu::LayerCounters& c) const {
    return cast(common::IsPositive(x) ? x : R(0), c);
  }
};

}  // namespace

Status LayerImpl<LayerKind::kRelu>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  return common::InferUnaryShape(node, inputs);
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kRelu>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  return common::MakeUnaryKernel<R>(node, common::FitsInt64({in, result}), [&](auto tag) {
    return ReluOp<decltype(tag)>{emu::Caster(in.lsb_exponent(), result)};
  });
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kRelu);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kRelu>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  return common::MakeUnaryFloatKernel(node, [](double x) { return x > 0 ? x : 0.0; });
}

}  // namespace firmnet::layers
