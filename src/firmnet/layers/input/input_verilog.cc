#include "firmnet/layers/input/input_verilog.h"

#include "firmnet/common/check.h"

namespace firmnet::verilog {

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kInput>::Emit(LayerContext& ctx) {
  FIRMNET_CHECK(ctx.in_port != nullptr) << "input layer without the in_data port";
  const FixedType& t = ctx.node.Precision("result");
  const int64_t n = ir::NumElements(ctx.node.shape);
  std::vector<Signal> out;
  for (int64_t k = 0; k < n; ++k) {
    const int lo = ctx.element_offset + static_cast<int>(k) * t.width;
    out.push_back(ctx.dp.Op({*ctx.in_port}, OpTiming::Slice(lo), t.width, t.is_signed,
                            t.lsb_exponent(), ctx.prefix + "_x", [&](std::vector<Signal>& o) {
                              return ctx.dp.Bits(o[0], lo + t.width - 1, lo);
                            }));
  }
  return out;
}

}  // namespace firmnet::verilog
