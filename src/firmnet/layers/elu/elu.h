// ELU: x > 0 ? x : alpha * (e^x - 1), the negative side from a lookup table. hls4ml style (the
// default): hls4ml's table of e^x - 1 over [-8, 0) and its index, y = alpha_q * T[i] (the
// product exact, one cast); firmnet style: a magnitude table that holds alpha_q * (e^x - 1).
#pragma once

#include <memory>

#include "firmnet/layers/common/hls4ml_table.h"
#include "firmnet/layers/common/table.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kElu> {
  static LayerSchema Schema() {
    return {.config_aliases = {"ParametrizedActivation", "Activation"},
            .slots = ResultAnd({{"param", false, kDefaultPrecision},
                                {"table", true, kTableDefault, kHls4mlTableDefault}}),
            .attrs = {{"alpha", AttrType::kDouble}},
            .default_table_size = 1024};
  }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
};
static_assert(Layer<LayerImpl<LayerKind::kElu>>);

// The table of alpha*(e^-a - 1) the emulator uses for `node`, a = -x for x < 0 (docs/tables.md),
// with alpha already quantized to the "param" type. Backends emit exactly these entries.
StatusOr<common::MagnitudeTable> EluTable(const ir::Node& node, const NodeInputs& inputs);

// The table of the hls4ml style: hls4ml's init_elu_table (e^x - 1, without alpha) and index.
StatusOr<common::Hls4mlNegativeTable> EluHls4mlTable(const ir::Node& node,
                                                     const NodeInputs& inputs);

}  // namespace firmnet::layers
