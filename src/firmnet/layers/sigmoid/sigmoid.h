// Sigmoid through a half-range lookup table and the symmetry sigmoid(-x) = 1 - sigmoid(x)
// (docs/tables.md).
#pragma once

#include <memory>

#include "firmnet/layers/common/hls4ml_table.h"
#include "firmnet/layers/common/table.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kSigmoid> {
  static LayerSchema Schema() {
    return {.config_aliases = {"Activation"},
            .slots = ResultAnd({{"table", true, kTableDefault, kHls4mlTableDefault}}),
            .default_table_size = 1024};
  }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
};
static_assert(Layer<LayerImpl<LayerKind::kSigmoid>>);

// The table the emulator uses for `node` (indexed by |x|; docs/tables.md). Backends emit exactly
// these entries and this index rule.
StatusOr<common::MagnitudeTable> SigmoidTable(const ir::Node& node, const NodeInputs& inputs);

// The table of the hls4ml style (docs/tables.md, "hls4ml style"): hls4ml's init_sigmoid_table
// and index rule.
StatusOr<common::Hls4mlRangeTable> SigmoidHls4mlTable(const ir::Node& node,
                                                      const NodeInputs& inputs);

}  // namespace firmnet::layers
