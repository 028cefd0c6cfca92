// Verilog emitter of dense layers: constant products (CSD shift-and-add or DSP), balanced adder
// trees, ReuseFactor time-multiplexing (docs/verilog_backend.md).
#pragma once

#include "firmnet/backend/verilog/layer_emitter.h"

namespace firmnet::verilog {

template <>
struct VerilogLayer<LayerKind::kDense> {
  static StatusOr<std::vector<Signal>> Emit(LayerContext& ctx);
};

// ReuseFactor R > 1 (dense_reuse_verilog.cc): about n_in*n_out/R multipliers with the weights in
// per-multiplier ROMs, one group of products per cycle in the order of layers/dense/dense_reuse.h,
// II = R, for every R that CheckReuseFactor accepts.
StatusOr<std::vector<Signal>> EmitDenseReused(LayerContext& ctx);

// Whether a cast can take a value known only modulo 2^CastTop (its rounding ignores the sign).
bool CastFromModular(const FixedType& t);

}  // namespace firmnet::verilog
