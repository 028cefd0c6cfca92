#include "firmnet/layers/elu/elu.h"

#include <algorithm>
#include <cmath>

#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/common/hls4ml_table.h"
#include "firmnet/layers/common/table.h"

namespace firmnet::layers {
namespace {

// x > 0: x;  x <= 0: T[index(|x|)] with T[i] = Q(alpha_q * (e^-(i*2^s) - 1)). alpha is folded
// into the table (computed in double from the param-quantized alpha), so no multiplier is needed.
template <typename R>
struct EluOp {
  common::MagnitudeTable index;
  std::vector<R> table;
  int in_exponent;
  int table_exponent;
  FixedType result;
  R operator()(const R& x, emu::LayerCounters& c) const {
    if (common::IsPositive(x)) return emu::CastTo(x, in_exponent, result, c);
    return emu::CastTo(table[index.Index(common::Abs(x))], table_exponent, result, c);
  }
};

// hls4ml's elu: x >= 0: x;  x < 0: alpha_q * T[index(x)], the product exact, one cast.
template <typename R>
struct EluHls4mlOp {
  common::Hls4mlNegativeTable index;
  std::vector<R> table;
  R alpha;
  int in_exponent;
  int prod_exponent;
  FixedType result;
  R operator()(const R& x, emu::LayerCounters& c) const {
    if (!common::IsNegative(x)) return emu::CastTo(x, in_exponent, result, c);
    return emu::CastTo(R(alpha * table[index.Index(x)]), prod_exponent, result, c);
  }
};

}  // namespace

StatusOr<common::Hls4mlNegativeTable> EluHls4mlTable(const ir::Node& node,
                                                     const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(int64_t size, common::ResolveTableSize(node));
  return common::BuildHls4mlNegativeTable(
      size, common::InputType(inputs).frac_bits(), false, node.Precision("table"), [](float in) {
        // elu_fcn_float: std::exp(input) - 1. with std::exp(float), returned as float.
        const float e = std::exp(in);
        return static_cast<double>(static_cast<float>(static_cast<double>(e) - 1.0));
      });
}

Status LayerImpl<LayerKind::kElu>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_RETURN_IF_ERROR(common::FiniteAttr(node, "alpha").status());
  FIRMNET_RETURN_IF_ERROR(common::ResolveTableSize(node).status());
  return common::InferUnaryShape(node, inputs);
}

StatusOr<common::MagnitudeTable> EluTable(const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& param = node.Precision("param");
  const FixedType& table_type = node.Precision("table");
  FIRMNET_ASSIGN_OR_RETURN(int64_t size, common::ResolveTableSize(node));
  FIRMNET_ASSIGN_OR_RETURN(common::Param alpha_q, common::ParamAttr(node, "alpha"));
  const double alpha = ToDouble(alpha_q.raw, param);
  // |alpha| e^-a is below half an LSB past ExpTail + ln|alpha|. Only negative inputs use it.
  const double tail =
      common::ExpTail(table_type.frac_bits()) + std::max(0.0, std::log(std::abs(alpha)));
  const BigInt max_raw = in.is_signed ? common::MaxMagnitude(in) : BigInt(0);
  return common::BuildMagnitudeTable(in.lsb_exponent(), max_raw, tail, size, table_type,
                                     [alpha](double a) { return alpha * std::expm1(-a); });
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kElu>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  const FixedType& param = node.Precision("param");
  const FixedType& table_type = node.Precision("table");
  if (node.settings.table_style == ir::TableStyle::kHls4ml) {
    FIRMNET_ASSIGN_OR_RETURN(common::Hls4mlNegativeTable t, EluHls4mlTable(node, inputs));
    FIRMNET_ASSIGN_OR_RETURN(common::Param alpha_q, common::ParamAttr(node, "alpha"));
    const bool fits =
        common::FitsInt64({in, result, param, table_type}) && param.width + table_type.width <= 62;
    return common::MakeUnaryKernel<R>(node, fits, [&](auto tag) {
      using T = decltype(tag);
      return EluHls4mlOp<T>{t,
                            common::ConvertTable<T>(t.entries),
                            common::ParamRaw<T>(alpha_q),
                            in.lsb_exponent(),
                            alpha_q.exponent + table_type.lsb_exponent(),
                            result};
    });
  }
  FIRMNET_ASSIGN_OR_RETURN(common::MagnitudeTable t, EluTable(node, inputs));
  return common::MakeUnaryKernel<R>(
      node, common::FitsInt64({in, result, param, table_type}), [&](auto tag) {
        using T = decltype(tag);
        return EluOp<T>{t, common::ConvertTable<T>(t.entries), in.lsb_exponent(),
                        table_type.lsb_exponent(), result};
      });
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kElu);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kElu>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  FIRMNET_ASSIGN_OR_RETURN(double alpha, common::FiniteAttr(node, "alpha"));
  return common::MakeUnaryFloatKernel(
      node, [alpha](double x) { return x > 0 ? x : alpha * std::expm1(x); });
}

}  // namespace firmnet::layers
