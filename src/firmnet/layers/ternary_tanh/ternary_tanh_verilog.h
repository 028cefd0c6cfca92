// Verilog emitter of ternary_tanh (see ternary_tanh.h for the arithmetic).
#pragma once

#include "firmnet/backend/verilog/layer_emitter.h"

namespace firmnet::verilog {

template <>
struct VerilogLayer<LayerKind::kTernaryTanh> {
  static StatusOr<std::vector<Signal>> Emit(LayerContext& ctx);
};

}  // namespace firmnet::verilog
