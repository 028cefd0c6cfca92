// Softsign x / (1 + |x|) as x times a reciprocal from a normalized inverse table (docs/tables.md).
#pragma once

#include <memory>

#include "firmnet/layers/common/hls4ml_table.h"
#include "firmnet/layers/common/table.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kSoftsign> {
  static LayerSchema Schema() {
    // x / (1 + |x|) = x * (1/(1 + |x|)); the reciprocal comes from a normalized inverse table
    // whose entries lie in [0.5, 1] (docs/tables.md).
    return {.config_aliases = {"Activation"},
            .slots = ResultAnd({{"table", true, kUnitTableDefault, kHls4mlTableDefault}}),
            .default_table_size = 1024,
            .has_products = true};
  }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
};
static_assert(Layer<LayerImpl<LayerKind::kSoftsign>>);

// The reciprocal table the emulator uses for `node` (1/(1 + |x|); docs/tables.md). Backends emit
// exactly these entries and this index rule.
StatusOr<common::InverseTable> SoftsignTable(const ir::Node& node, const NodeInputs& inputs);

// The table of the hls4ml style (docs/tables.md, "hls4ml style"): hls4ml's init_softsign_table
// (over [-8, 8)) and index rule.
StatusOr<common::Hls4mlRangeTable> SoftsignHls4mlTable(const ir::Node& node,
                                                       const NodeInputs& inputs);

}  // namespace firmnet::layers
