#include "firmnet/layers/softplus/softplus.h"

#include <algorithm>
#include <cmath>

#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/common/table.h"

namespace firmnet::layers {
namespace {

// softplus(x) = max(x, 0) + log(1 + e^-|x|): the second term from the table, the sum exact on
// the grid 2^c with c = min(e_in, e_table), cast once.
template <typename R>
struct SoftplusOp {
  common::MagnitudeTable index;
  std::vector<R> table;  // already shifted onto the common grid
  int input_shift;       // e_in - c
  int common_exponent;
  FixedType result;
  R operator()(const R& x, emu::LayerCounters& c) const {
    R v = table[index.Index(common::Abs(x))];
    if (common::IsPositive(x)) v = v + R(x << input_shift);
    return emu::CastTo(v, common_exponent, result, c);
  }
};

double Softplus(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x))); }
double SoftplusTail(double a) { return std::log1p(std::exp(-a)); }

}  // namespace

Status LayerImpl<LayerKind::kSoftplus>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_RETURN_IF_ERROR(common::ResolveTableSize(node).status());
  return common::InferUnaryShape(node, inputs);
}

StatusOr<common::MagnitudeTable> SoftplusTable(const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& table_type = node.Precision("table");
  FIRMNET_ASSIGN_OR_RETURN(int64_t size, common::ResolveTableSize(node));
  // log(1 + e^-a) < e^-a.
  return common::BuildMagnitudeTable(in.lsb_exponent(), common::MaxMagnitude(in),
                                     common::ExpTail(table_type.frac_bits()), size, table_type,
                                     SoftplusTail);
}

StatusOr<common::Hls4mlRangeTable> SoftplusHls4mlTable(const ir::Node& node,
                                                       const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(int64_t size, common::ResolveTableSize(node));
  return common::BuildHls4mlRangeTable(
      size, 4, common::InputType(inputs).frac_bits(), 8.0, node.Precision("table"), [](float in) {
        // softplus_fcn_float: std::log(std::exp(input) + 1.): expf, then double, returned as float.
        return static_cast<double>(
            static_cast<float>(std::log(static_cast<double>(std::exp(in)) + 1.)));
      });
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kSoftplus>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  if (node.settings.table_style == ir::TableStyle::kHls4ml) {
    FIRMNET_ASSIGN_OR_RETURN(common::Hls4mlRangeTable t, SoftplusHls4mlTable(node, inputs));
    return common::MakeHls4mlRangeKernel<R>(node, inputs, t);
  }
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  const FixedType& table_type = node.Precision("table");
  FIRMNET_ASSIGN_OR_RETURN(common::MagnitudeTable t, SoftplusTable(node, inputs));
  const int ei = in.lsb_exponent();
  const int et = table_type.lsb_exponent();
  const int ce = std::min(ei, et);
  return common::MakeUnaryKernel<R>(
      node, common::FitsInt64({in, result, table_type}), [&](auto tag) {
        using T = decltype(tag);
        std::vector<T> shifted = common::ConvertTable<T>(t.entries);
        for (T& v : shifted) v = T(v << (et - ce));
        return SoftplusOp<T>{t, std::move(shifted), ei - ce, ce, result};
      });
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kSoftplus);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kSoftplus>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  return common::MakeUnaryFloatKernel(node, Softplus);
}

}  // namespace firmnet::layers
