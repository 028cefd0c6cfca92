// Verilog emitter of softmax: max tree, exp ROMs, ordered sum, inverse ROM, one cast per output
// (docs/tables.md).
#pragma once

#include "firmnet/backend/verilog/layer_emitter.h"

namespace firmnet::verilog {

template <>
struct VerilogLayer<LayerKind::kSoftmax> {
  static StatusOr<std::vector<Signal>> Emit(LayerContext& ctx);
};

}  // namespace firmnet::verilog
