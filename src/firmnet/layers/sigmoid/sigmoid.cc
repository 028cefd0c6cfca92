#include "firmnet/layers/sigmoid/sigmoid.h"

#include <algorithm>
#include <cmath>

#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/common/hls4ml_table.h"
#include "firmnet/layers/common/table.h"

namespace firmnet::layers {
namespace {

// x >= 0: T[index(|x|)];  x < 0: 1 - T[index(|x|)], exact on the grid 2^c, c = min(e_table, 0).
template <typename R>
struct SigmoidOp {
  common::MagnitudeTable index;
  std::vector<R> table;
  int table_exponent;
  int table_shift;  // e_table - c
  R one;            // 1 << -c
  int common_exponent;
  FixedType result;
  R operator()(const R& x, emu::LayerCounters& c) const {
    const R& t = table[index.Index(common::Abs(x))];
    if (!common::IsNegative(x)) return emu::CastTo(t, table_exponent, result, c);
    return emu::CastTo(R(one - R(t << table_shift)), common_exponent, result, c);
  }
};

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

Status LayerImpl<LayerKind::kSigmoid>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_RETURN_IF_ERROR(common::ResolveTableSize(node).status());
  return common::InferUnaryShape(node, inputs);
}

StatusOr<common::MagnitudeTable> SigmoidTable(const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& table_type = node.Precision("table");
  FIRMNET_ASSIGN_OR_RETURN(int64_t size, common::ResolveTableSize(node));
  // 1 - sigmoid(x) < e^-x: past ExpTail the table is flat to within half an LSB.
  return common::BuildMagnitudeTable(in.lsb_exponent(), common::MaxMagnitude(in),
                                     common::ExpTail(table_type.frac_bits()), size, table_type,
                                     Sigmoid);
}

StatusOr<common::Hls4mlRangeTable> SigmoidHls4mlTable(const ir::Node& node,
                                                      const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(int64_t size, common::ResolveTableSize(node));
  return common::BuildHls4mlRangeTable(size, 4, common::InputType(inputs).frac_bits(), 8.0,
                                       node.Precision("table"), [](float in) {
                                         // sigmoid_fcn_float: 1.0 / (1 + std::exp(-input)) with
                                         // std::exp(float), returned as float.
                                         const float e = std::exp(-in);
                                         const float d = 1 + e;
                                         return static_cast<double>(static_cast<float>(1.0 / d));
                                       });
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kSigmoid>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  if (node.settings.table_style == ir::TableStyle::kHls4ml) {
    FIRMNET_ASSIGN_OR_RETURN(common::Hls4mlRangeTable t, SigmoidHls4mlTable(node, inputs));
    return common::MakeHls4mlRangeKernel<R>(node, inputs, t);
  }
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  const FixedType& table_type = node.Precision("table");
  FIRMNET_ASSIGN_OR_RETURN(common::MagnitudeTable t, SigmoidTable(node, inputs));
  const int et = table_type.lsb_exponent();
  const int ce = std::min(et, 0);
  return common::MakeUnaryKernel<R>(
      node, common::FitsInt64({in, result, table_type}), [&](auto tag) {
        using T = decltype(tag);
        return SigmoidOp<T>{t,       common::ConvertTable<T>(t.entries), et,
                            et - ce, common::PowerOfTwo<T>(-ce),         ce,
                            result};
      });
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kSigmoid);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kSigmoid>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  return common::MakeUnaryFloatKernel(node, Sigmoid);
}

}  // namespace firmnet::layers
