// Verilog emitter of softsign: x * (1 / (1 + |x|)) through the emulator's inverse table
// (docs/tables.md, "Inverse tables").
#pragma once

#include "firmnet/backend/verilog/layer_emitter.h"

namespace firmnet::verilog {

template <>
struct VerilogLayer<LayerKind::kSoftsign> {
  static StatusOr<std::vector<Signal>> Emit(LayerContext& ctx);
};

}  // namespace firmnet::verilog
