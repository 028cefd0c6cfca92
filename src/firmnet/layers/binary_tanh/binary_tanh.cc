#include "firmnet/layers/binary_tanh/binary_tanh.h"

#include "firmnet/layers/common/elementwise.h"

namespace firmnet::layers {
namespace {

template <typename R>
struct BinaryTanhOp {
  emu::Caster cast;  // from exponent 0 (the integers low and +1) to the result type
  int low;           // -1, or 0 in the XNOR encoding
  R operator()(const R& x, emu::LayerCounters& c) const {
    return cast(common::IsNegative(x) ? R(low) : R(1), c);
  }
};

}  // namespace

int LayerImpl<LayerKind::kBinaryTanh>::Low(const ir::Node& node) {
  return node.GetIntOr("xnor", 0) != 0 ? 0 : -1;
}

Status LayerImpl<LayerKind::kBinaryTanh>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  const int64_t xnor = node.GetIntOr("xnor", 0);
  if (xnor != 0 && xnor != 1) {
    return InvalidArgument(common::LayerLabel(node) + ": attribute 'xnor' must be 0 or 1");
  }
  return common::InferUnaryShape(node, inputs);
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kBinaryTanh>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  return common::MakeUnaryKernel<R>(node, common::FitsInt64({in, result}), [&](auto tag) {
    return BinaryTanhOp<decltype(tag)>{emu::Caster(0, result), Low(node)};
  });
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kBinaryTanh);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kBinaryTanh>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  const double low = Low(node);
  return common::MakeUnaryFloatKernel(node, [low](double x) { return x >= 0 ? 1.0 : low; });
}

}  // namespace firmnet::layers
