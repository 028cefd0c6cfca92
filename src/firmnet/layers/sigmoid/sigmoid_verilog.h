// Verilog emitter of sigmoid: a ROM of the emulator's half-range table, addressed by |x|; x < 0
// gives 1 - t (docs/tables.md).
#pragma once

#include "firmnet/backend/verilog/layer_emitter.h"

namespace firmnet::verilog {

template <>
struct VerilogLayer<LayerKind::kSigmoid> {
  static StatusOr<std::vector<Signal>> Emit(LayerContext& ctx);
};

}  // namespace firmnet::verilog
