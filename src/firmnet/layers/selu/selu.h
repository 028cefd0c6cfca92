// SELU: x >= 0 ? gamma_q * x : gamma * alpha * (e^x - 1). As in hls4ml's selu, gamma (lambda) is
// a constant of type ap_ufixed<16,1> (the "param" slot's default) on the positive side, and the
// negative side comes from a lookup table: hls4ml style (the default), hls4ml's table of
// gamma * (alpha * (e^x - 1)) over [-8, 0) and its index; firmnet style, firmnet's magnitude
// table (docs/tables.md) of gamma * alpha * (e^x - 1).
#pragma once

#include <memory>

#include "firmnet/layers/common/hls4ml_table.h"
#include "firmnet/layers/common/table.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kSelu> {
  static LayerSchema Schema() {
    return {.config_aliases = {"Activation"},
            .slots = ResultAnd({{"param", false, "ap_ufixed<16,1>"},
                                {"table", true, kTableDefault, kHls4mlTableDefault}}),
            .attrs = {{"alpha", AttrType::kDouble}, {"gamma", AttrType::kDouble}},
            .default_table_size = 1024};
  }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
};
static_assert(Layer<LayerImpl<LayerKind::kSelu>>);

// The table of gamma*alpha*(e^-a - 1) the emulator uses for `node`, a = -x for x < 0
// (docs/tables.md), computed in double from the attributes (not the "param" type). Backends emit
// exactly these entries.
StatusOr<common::MagnitudeTable> SeluTable(const ir::Node& node, const NodeInputs& inputs);

// The table of the hls4ml style: hls4ml's init_selu_table (with the node's alpha and gamma) and
// index.
StatusOr<common::Hls4mlNegativeTable> SeluHls4mlTable(const ir::Node& node,
                                                      const NodeInputs& inputs);

// Keras's and ONNX's constants.
inline constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
inline constexpr double kSeluGamma = 1.0507009873554804934193349852946;

}  // namespace firmnet::layers
