#include "firmnet/layers/clip/clip.h"

#include <algorithm>

#include "firmnet/layers/common/elementwise.h"

namespace firmnet::layers {
namespace {

// Compares x with the quantized bounds on a common grid (the finer of the two lsb exponents),
// exactly, and casts the chosen value once from its own exponent.
template <typename R>
struct ClipOp {
  int in_exponent;
  int param_exponent;
  int common_exponent;
  R lo;  // raw in the param type
  R hi;
  FixedType result;
  R operator()(const R& x, emu::LayerCounters& c) const {
    const R xa = x << (in_exponent - common_exponent);
    if (xa < R(lo << (param_exponent - common_exponent))) {
      return emu::CastTo(lo, param_exponent, result, c);
    }
    if (xa > R(hi << (param_exponent - common_exponent))) {
      return emu::CastTo(hi, param_exponent, result, c);
    }
    return emu::CastTo(x, in_exponent, result, c);
  }
};

Status CheckBounds(const ir::Node& node) {
  FIRMNET_ASSIGN_OR_RETURN(double lo, common::FiniteAttr(node, "min"));
  FIRMNET_ASSIGN_OR_RETURN(double hi, common::FiniteAttr(node, "max"));
  if (lo > hi) {
    return InvalidArgument(common::LayerLabel(node) +
                           ": attribute 'min' = " + common::FormatDouble(lo) +
                           " is greater than 'max' = " + common::FormatDouble(hi));
  }
  return OkStatus();
}

}  // namespace

Status LayerImpl<LayerKind::kClip>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_RETURN_IF_ERROR(CheckBounds(node));
  return common::InferUnaryShape(node, inputs);
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kClip>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_RETURN_IF_ERROR(CheckBounds(node));
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  const FixedType& param = node.Precision("param");
  FIRMNET_ASSIGN_OR_RETURN(common::Param lo, common::ParamAttr(node, "min"));
  FIRMNET_ASSIGN_OR_RETURN(common::Param hi, common::ParamAttr(node, "max"));
  const int ce = std::min(in.lsb_exponent(), param.lsb_exponent());
  return common::MakeUnaryKernel<R>(node, common::FitsInt64({in, result, param}), [&](auto tag) {
    using T = decltype(tag);
    return ClipOp<T>{in.lsb_exponent(),       param.lsb_exponent(),    ce,
                     common::ParamRaw<T>(lo), common::ParamRaw<T>(hi), result};
  });
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kClip);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kClip>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  FIRMNET_RETURN_IF_ERROR(CheckBounds(node));
  FIRMNET_ASSIGN_OR_RETURN(double lo, common::FiniteAttr(node, "min"));
  FIRMNET_ASSIGN_OR_RETURN(double hi, common::FiniteAttr(node, "max"));
  return common::MakeUnaryFloatKernel(node, [lo, hi](double x) { return std::clamp(x, lo, hi); });
}

}  // namespace firmnet::layers
