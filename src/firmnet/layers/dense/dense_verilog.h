// Verilog emitter of dense layers: constant products (CSD shift-and-add or DSP), balanced adder trees, ReuseFactor time-multiplexing (docs/verilog_backend.md).
#pragma once

#include "firmnet/backend/verilog/layer_emitter.h"

namespace firmnet::verilog {

template <>
struct VerilogLayer<LayerKind::kDense> {
  static StatusOr<std::vector<Signal>> Emit(LayerContext& ctx);
};

}  // namespace firmnet::verilog
