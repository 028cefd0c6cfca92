// Verilog emitter of elu: x > 0 ? x : a ROM of alpha (e^-|x| - 1) (docs/tables.md).
#pragma once

#include "firmnet/backend/verilog/layer_emitter.h"

namespace firmnet::verilog {

template <>
struct VerilogLayer<LayerKind::kElu> {
  static StatusOr<std::vector<Signal>> Emit(LayerContext& ctx);
};

}  // namespace firmnet::verilog
