#include "firmnet/layers/leaky_relu/leaky_relu.h"

#include "firmnet/layers/common/elementwise.h"

namespace firmnet::layers {
namespace {

// x > 0 ? x : alpha_q * x. The product is exact (exponent e_in + e_param); each branch is cast
// once, straight from its own exponent, so no alignment is needed.
template <typename R>
struct LeakyReluOp {
  int in_exponent;
  R alpha;
  int alpha_exponent;
  FixedType result;
  R operator()(const R& x, emu::LayerCounters& c) const {
    if (common::IsPositive(x)) return emu::CastTo(x, in_exponent, result, c);
    return emu::CastTo(R(alpha * x), in_exponent + alpha_exponent, result, c);
  }
};

}  // namespace

Status LayerImpl<LayerKind::kLeakyRelu>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_RETURN_IF_ERROR(common::FiniteAttr(node, "alpha").status());
  return common::InferUnaryShape(node, inputs);
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kLeakyRelu>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  const FixedType& param = node.Precision("param");
  FIRMNET_ASSIGN_OR_RETURN(common::Param alpha, common::ParamAttr(node, "alpha"));
  return common::MakeUnaryKernel<R>(node, common::FitsInt64({in, result, param}), [&](auto tag) {
    using T = decltype(tag);
    return LeakyReluOp<T>{in.lsb_exponent(), common::ParamRaw<T>(alpha), alpha.exponent, result};
  });
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kLeakyRelu);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kLeakyRelu>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  FIRMNET_ASSIGN_OR_RETURN(double alpha, common::FiniteAttr(node, "alpha"));
  return common::MakeUnaryFloatKernel(node, [alpha](double x) { return x > 0 ? x : alpha * x; });
}

}  // namespace firmnet::layers
