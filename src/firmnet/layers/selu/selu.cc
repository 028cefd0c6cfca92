#include "firmnet/layers/selu/selu.h"

#include <algorithm>
#include <cmath>

#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/common/hls4ml_table.h"
#include "firmnet/layers/common/table.h"

namespace firmnet::layers {
namespace {

// x >= 0: cast(x * gamma_q), the product exact; x < 0: T[index(|x|)].
template <typename R>
struct SeluOp {
  common::MagnitudeTable index;
  std::vector<R> table;
  R gamma;
  int prod_exponent;
  int table_exponent;
  FixedType result;
  R operator()(const R& x, emu::LayerCounters& c) const {
    if (!common::IsNegative(x)) return emu::CastTo(x * gamma, prod_exponent, result, c);
    return emu::CastTo(table[index.Index(common::Abs(x))], table_exponent, result, c);
  }
};

// hls4ml's selu: x >= 0 as SeluOp; x < 0: T[index(x)] cast to the result.
template <typename R>
struct SeluHls4mlOp {
  common::Hls4mlNegativeTable index;
  std::vector<R> table;
  R gamma;
  int prod_exponent;
  int table_exponent;
  FixedType result;
  R operator()(const R& x, emu::LayerCounters& c) const {
    if (!common::IsNegative(x)) return emu::CastTo(x * gamma, prod_exponent, result, c);
    return emu::CastTo(table[index.Index(x)], table_exponent, result, c);
  }
};

}  // namespace

StatusOr<common::Hls4mlNegativeTable> SeluHls4mlTable(const ir::Node& node,
                                                      const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(int64_t size, common::ResolveTableSize(node));
  FIRMNET_ASSIGN_OR_RETURN(double alpha, common::FiniteAttr(node, "alpha"));
  FIRMNET_ASSIGN_OR_RETURN(double gamma, common::FiniteAttr(node, "gamma"));
  return common::BuildHls4mlNegativeTable(size, common::InputType(inputs).frac_bits(), true,
                                          node.Precision("table"), [alpha, gamma](float in) {
                                            // selu_fcn_float: gamma * (alpha * (std::exp(input)
                                            // - 1.)) in double around std::exp(float), returned as
                                            // float.
                                            const float e = std::exp(in);
                                            return static_cast<double>(static_cast<float>(
                                                gamma * (alpha * (static_cast<double>(e) - 1.0))));
                                          });
}

StatusOr<common::MagnitudeTable> SeluTable(const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& table_type = node.Precision("table");
  FIRMNET_ASSIGN_OR_RETURN(int64_t size, common::ResolveTableSize(node));
  FIRMNET_ASSIGN_OR_RETURN(double alpha, common::FiniteAttr(node, "alpha"));
  FIRMNET_ASSIGN_OR_RETURN(double gamma, common::FiniteAttr(node, "gamma"));
  const double k = alpha * gamma;
  const double tail =
      common::ExpTail(table_type.frac_bits()) + std::max(0.0, std::log(std::abs(k)));
  const BigInt max_raw = in.is_signed ? common::MaxMagnitude(in) : BigInt(0);
  return common::BuildMagnitudeTable(in.lsb_exponent(), max_raw, tail, size, table_type,
                                     [k](double a) { return k * std::expm1(-a); });
}

Status LayerImpl<LayerKind::kSelu>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_RETURN_IF_ERROR(common::FiniteAttr(node, "alpha").status());
  FIRMNET_RETURN_IF_ERROR(common::FiniteAttr(node, "gamma").status());
  FIRMNET_RETURN_IF_ERROR(common::ResolveTableSize(node).status());
  return common::InferUnaryShape(node, inputs);
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kSelu>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  const FixedType& param = node.Precision("param");
  const FixedType& table_type = node.Precision("table");
  FIRMNET_ASSIGN_OR_RETURN(common::Param gamma_q, common::ParamAttr(node, "gamma"));
  // The product x * gamma needs both widths: the int64 path only when it fits.
  const bool fits =
      common::FitsInt64({in, result, param, table_type}) && in.width + param.width <= 62;
  if (node.settings.table_style == ir::TableStyle::kHls4ml) {
    FIRMNET_ASSIGN_OR_RETURN(common::Hls4mlNegativeTable t, SeluHls4mlTable(node, inputs));
    return common::MakeUnaryKernel<R>(node, fits, [&](auto tag) {
      using T = decltype(tag);
      return SeluHls4mlOp<T>{t,
                             common::ConvertTable<T>(t.entries),
                             common::ParamRaw<T>(gamma_q),
                             in.lsb_exponent() + gamma_q.exponent,
                             table_type.lsb_exponent(),
                             result};
    });
  }
  FIRMNET_ASSIGN_OR_RETURN(common::MagnitudeTable t, SeluTable(node, inputs));
  return common::MakeUnaryKernel<R>(node, fits, [&](auto tag) {
    using T = decltype(tag);
    return SeluOp<T>{t,
                     common::ConvertTable<T>(t.entries),
                     common::ParamRaw<T>(gamma_q),
                     in.lsb_exponent() + gamma_q.exponent,
                     table_type.lsb_exponent(),
                     result};
  });
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kSelu);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kSelu>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  FIRMNET_ASSIGN_OR_RETURN(double alpha, common::FiniteAttr(node, "alpha"));
  FIRMNET_ASSIGN_OR_RETURN(double gamma, common::FiniteAttr(node, "gamma"));
  return common::MakeUnaryFloatKernel(node, [alpha, gamma](double x) {
    return x >= 0 ? gamma * x : gamma * alpha * std::expm1(x);
  });
}

}  // namespace firmnet::layers
