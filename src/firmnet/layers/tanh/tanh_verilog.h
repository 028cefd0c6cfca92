// Verilog emitter of tanh: a ROM of the emulator's table addressed by |x|; x < 0 gives -t
// (docs/tables.md).
#pragma once

#include "firmnet/backend/verilog/layer_emitter.h"

namespace firmnet::verilog {

template <>
struct VerilogLayer<LayerKind::kTanh> {
  static StatusOr<std::vector<Signal>> Emit(LayerContext& ctx);
};

}  // namespace firmnet::verilog
