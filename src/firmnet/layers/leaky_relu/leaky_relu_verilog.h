// Verilog emitter of leaky_relu: x > 0 ? cast(x) : cast(alpha_q * x) per element.
#pragma once

#include "firmnet/backend/verilog/layer_emitter.h"

namespace firmnet::verilog {

template <>
struct VerilogLayer<LayerKind::kLeakyRelu> {
  static StatusOr<std::vector<Signal>> Emit(LayerContext& ctx);
};

}  // namespace firmnet::verilog
