#include "firmnet/layers/tanh/tanh.h"

#include <cmath>

#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/common/hls4ml_table.h"
#include "firmnet/layers/common/table.h"

namespace firmnet::layers {
namespace {

// x >= 0: T[index(|x|)];  x < 0: -T[index(|x|)] (exact: negation widens by one bit).
template <typename R>
struct TanhOp {
  common::MagnitudeTable index;
  std::vector<R> table;
  int table_exponent;
  FixedType result;
  R operator()(const R& x, emu::LayerCounters& c) const {
    const R& t = table[index.Index(common::Abs(x))];
    return emu::CastTo(common::IsNegative(x) ? R(-t) : t, table_exponent, result, c);
  }
};

double Tanh(double x) { return std::tanh(x); }

}  // namespace

Status LayerImpl<LayerKind::kTanh>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_RETURN_IF_ERROR(common::ResolveTableSize(node).status());
  return common::InferUnaryShape(node, inputs);
}

StatusOr<common::MagnitudeTable> TanhTable(const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& table_type = node.Precision("table");
  FIRMNET_ASSIGN_OR_RETURN(int64_t size, common::ResolveTableSize(node));
  // 1 - tanh(x) < 2 e^-2x, below half an LSB of F fractional bits once x > (F + 2) ln2 / 2.
  return common::BuildMagnitudeTable(in.lsb_exponent(), common::MaxMagnitude(in),
                                     common::ExpTail(table_type.frac_bits() + 1) / 2, size,
                                     table_type, Tanh);
}

StatusOr<common::Hls4mlRangeTable> TanhHls4mlTable(const ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(int64_t size, common::ResolveTableSize(node));
  return common::BuildHls4mlRangeTable(size, 3, common::InputType(inputs).frac_bits(), 4.0,
                                       node.Precision("table"), [](float in) {
                                         // init_tanh_table: `tanh(in_val)` finds ::tanh(double)
                                         // (nnet::tanh is declared later).
                                         return std::tanh(static_cast<double>(in));
                                       });
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kTanh>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  if (node.settings.table_style == ir::TableStyle::kHls4ml) {
    FIRMNET_ASSIGN_OR_RETURN(common::Hls4mlRangeTable t, TanhHls4mlTable(node, inputs));
    return common::MakeHls4mlRangeKernel<R>(node, inputs, t);
  }
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  const FixedType& table_type = node.Precision("table");
  FIRMNET_ASSIGN_OR_RETURN(common::MagnitudeTable t, TanhTable(node, inputs));
  return common::MakeUnaryKernel<R>(
      node, common::FitsInt64({in, result, table_type}), [&](auto tag) {
        using T = decltype(tag);
        return TanhOp<T>{t, common::ConvertTable<T>(t.entries), table_type.lsb_exponent(), result};
      });
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kTanh);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kTanh>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  return common::MakeUnaryFloatKernel(node, Tanh);
}

}  // namespace firmnet::layers
