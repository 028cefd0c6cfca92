// Verilog emitter of binary_tanh (see binary_tanh.h for the arithmetic).
#pragma once

#include "firmnet/backend/verilog/layer_emitter.h"

namespace firmnet::verilog {

template <>
struct VerilogLayer<LayerKind::kBinaryTanh> {
  static StatusOr<std::vector<Signal>> Emit(LayerContext& ctx);
};

}  // namespace firmnet::verilog
