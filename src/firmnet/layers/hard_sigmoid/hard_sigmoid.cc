#include "firmnet/layers/hard_sigmoid/hard_sigmoid.h"

#include <algorithm>

#include "firmnet/layers/common/elementwise.h"

namespace firmnet::layers {
namespace {

// v = alpha_q * x + beta_q, exact on the grid 2^c with c = min(e_alpha + e_in, e_param, 0)
// (0 so that the bound 1 is an integer on the grid), clamped to [0, 1], cast once.
template <typename R>
struct HardSigmoidOp {
  R alpha;
  R beta_aligned;     // beta_q << (e_param - c)
  R one;              // 1 << -c
  int product_shift;  // e_param + e_in - c
  int common_exponent;
  FixedType result;
  R operator()(const R& x, emu::LayerCounters& c) const {
    R v = R(R(alpha * x) << product_shift) + beta_aligned;
    if (common::IsNegative(v)) v = R(0);
    if (v > one) v = one;
    return emu::CastTo(v, common_exponent, result, c);
  }
};

}  // namespace

Status LayerImpl<LayerKind::kHardSigmoid>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_RETURN_IF_ERROR(common::FiniteAttr(node, "alpha").status());
  FIRMNET_RETURN_IF_ERROR(common::FiniteAttr(node, "beta").status());
  return common::InferUnaryShape(node, inputs);
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kHardSigmoid>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  const FixedType& param = node.Precision("param");
  FIRMNET_ASSIGN_OR_RETURN(common::Param alpha, common::ParamAttr(node, "alpha"));
  FIRMNET_ASSIGN_OR_RETURN(common::Param beta, common::ParamAttr(node, "beta"));
  const int ep = param.lsb_exponent();
  const int ei = in.lsb_exponent();
  const int ce = std::min({ep + ei, ep, 0});
  // Beyond FitsInt64: the widest term is the product shifted onto the common grid, and 1 on it.
  const bool fits64 = common::FitsInt64({in, result, param}) &&
                      in.width + param.width + (ep + ei - ce) <= 62 &&
                      param.width + (ep - ce) <= 62 && -ce <= 61;
  return common::MakeUnaryKernel<R>(node, fits64, [&](auto tag) {
    using T = decltype(tag);
    return HardSigmoidOp<T>{common::ParamRaw<T>(alpha),
                            T(common::ParamRaw<T>(beta) << (ep - ce)),
                            common::PowerOfTwo<T>(-ce),
                            ep + ei - ce,
                            ce,
                            result};
  });
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kHardSigmoid);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kHardSigmoid>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  FIRMNET_ASSIGN_OR_RETURN(double alpha, common::FiniteAttr(node, "alpha"));
  FIRMNET_ASSIGN_OR_RETURN(double beta, common::FiniteAttr(node, "beta"));
  return common::MakeUnaryFloatKernel(
      node, [alpha, beta](double x) { return std::clamp(alpha * x + beta, 0.0, 1.0); });
}

}  // namespace firmnet::layers
