#include "firmnet/layers/softsign/softsign.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/common/table.h"

namespace firmnet::layers {
namespace {

// v = 1 + |x| exactly on the grid 2^c (c = min(e_in, 0)); 1/v from the inverse table as
// entry * 2^-(p + c); y = x * entry, exact, cast once from exponent e_in + e_table - p - c.
template <typename R>
struct SoftsignOp {
  common::InverseTable inverse;
  std::vector<R> table;
  int input_shift;  // e_in - c
  R one;            // 1 << -c
  int in_exponent;
  int table_exponent;
  int common_exponent;
  FixedType result;
  R operator()(const R& x, emu::LayerCounters& c) const {
    const R v = R(common::Abs(x) << input_shift) + one;
    int p = 0;
    const R& inv = table[inverse.Index(v, &p)];
    return emu::CastTo(R(x * inv), in_exponent + table_exponent - p - common_exponent, result, c);
  }
};

}  // namespace

Status LayerImpl<LayerKind::kSoftsign>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_RETURN_IF_ERROR(common::ResolveTableSize(node).status());
  return common::InferUnaryShape(node, inputs);
}

StatusOr<common::InverseTable> SoftsignTable(const ir::Node& node, const NodeInputs& /*inputs*/) {
  FIRMNET_ASSIGN_OR_RETURN(int64_t size, common::ResolveTableSize(node));
  return common::BuildInverseTable(size, node.Precision("table"));
}

StatusOr<common::Hls4mlRangeTable> SoftsignHls4mlTable(const ir::Node& node,
                                                       const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(int64_t size, common::ResolveTableSize(node));
  return common::BuildHls4mlRangeTable(
      size, 4, common::InputType(inputs).frac_bits(), 8.0, node.Precision("table"), [](float in) {
        // softsign_fcn_float: input / (std::abs(input) + 1.) in double, returned as float.
        return static_cast<double>(
            static_cast<float>(static_cast<double>(in) / (static_cast<double>(std::abs(in)) + 1.)));
      });
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kSoftsign>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  if (node.settings.table_style == ir::TableStyle::kHls4ml) {
    FIRMNET_ASSIGN_OR_RETURN(common::Hls4mlRangeTable t, SoftsignHls4mlTable(node, inputs));
    return common::MakeHls4mlRangeKernel<R>(node, inputs, t);
  }
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  const FixedType& table_type = node.Precision("table");
  FIRMNET_ASSIGN_OR_RETURN(common::InverseTable inv, SoftsignTable(node, inputs));
  const int ei = in.lsb_exponent();
  const int et = table_type.lsb_exponent();
  const int ce = std::min(ei, 0);
  // p + c = floor(log2(1 + |x|)) lies in [0, max(int_bits, 0) + 1]: the final cast's exponent
  // must stay within Cast64's reach at both ends.
  const int cast_lo = ei + et - (std::max(in.int_bits, 0) + 1) - result.lsb_exponent();
  const int cast_hi = ei + et - result.lsb_exponent();
  const bool fits64 = common::FitsInt64({in, result, table_type}) && std::abs(cast_lo) <= 62 &&
                      std::abs(cast_hi) <= 62;
  return common::MakeUnaryKernel<R>(node, fits64, [&](auto tag) {
    using T = decltype(tag);
    return SoftsignOp<T>{inv,     common::ConvertTable<T>(inv.entries),
                         ei - ce, common::PowerOfTwo<T>(-ce),
                         ei,      et,
                         ce,      result};
  });
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kSoftsign);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kSoftsign>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  return common::MakeUnaryFloatKernel(node, [](double x) { return x / (1.0 + std::abs(x)); });
}

}  // namespace firmnet::layers
