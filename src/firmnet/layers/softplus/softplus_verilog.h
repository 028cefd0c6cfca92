// Verilog emitter of softplus: max(x, 0) + a ROM of log(1 + e^-|x|) (docs/tables.md).
#pragma once

#include "firmnet/backend/verilog/layer_emitter.h"

namespace firmnet::verilog {

template <>
struct VerilogLayer<LayerKind::kSoftplus> {
  static StatusOr<std::vector<Signal>> Emit(LayerContext& ctx);
};

}  // namespace firmnet::verilog
