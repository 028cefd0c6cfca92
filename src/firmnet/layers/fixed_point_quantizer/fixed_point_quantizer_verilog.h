// Verilog emitter of fixed_point_quantizer: each element cast to its own type (all rounding and
// overflow modes: backend/verilog/cast.h), then widened exactly to the layer's result type; a
// constant 0 where the element has no bits.
#pragma once

#include "firmnet/backend/verilog/layer_emitter.h"

namespace firmnet::verilog {

template <>
struct VerilogLayer<LayerKind::kFixedPointQuantizer> {
  static StatusOr<std::vector<Signal>> Emit(LayerContext& ctx);
};

}  // namespace firmnet::verilog
