// Verilog emitter of batchnorm_quantized_tanh (see batchnorm_quantized_tanh.h for the arithmetic).
#pragma once

#include "firmnet/backend/verilog/layer_emitter.h"

namespace firmnet::verilog {

template <>
struct VerilogLayer<LayerKind::kBatchNormQuantizedTanh> {
  static StatusOr<std::vector<Signal>> Emit(LayerContext& ctx);
};

}  // namespace firmnet::verilog
