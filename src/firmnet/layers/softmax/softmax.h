// Softmax in the stable form: exact max subtraction, exp table, sum in the accum type, reciprocal
// from a normalized inverse table, one cast per output (docs/tables.md).
#pragma once

#include <memory>

#include "firmnet/layers/common/table.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kSoftmax> {
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
};
static_assert(Layer<LayerImpl<LayerKind::kSoftmax>>);

// The two tables the emulator uses for `node`: e^-d indexed by d = max - x, and the reciprocal
// of the sum (docs/tables.md). Backends emit exactly these entries and index rules.
struct SoftmaxTables {
  common::MagnitudeTable exp;
  common::InverseTable inv;
};
StatusOr<SoftmaxTables> SoftmaxTablesFor(const ir::Node& node, const NodeInputs& inputs);

}  // namespace firmnet::layers
