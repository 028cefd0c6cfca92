// Softmax in the stable form: exact max subtraction, exp table, sum in the accum type, reciprocal
// from a normalized inverse table, one cast per output (docs/tables.md).
#pragma once

#include <memory>

#include "firmnet/layers/common/table.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers {

template <>
struct LayerImpl<LayerKind::kSoftmax> {
  static LayerSchema Schema() {
    // Defaults chosen so that every row sums to 1 within 2^-8 (docs/tables.md): exp and
    // reciprocal entries lie in [0, 1] and get 17 fractional bits; the accumulator keeps all of
    // them (sums of up to 127 classes exactly); the result rounds to 14 fractional bits.
    return {.config_aliases = {"Activation"},
            .slots = {{"result", false, "ap_fixed<16,2,AP_RND,AP_SAT>"},
                      {"exp_table", true, kUnitTableDefault},
                      {"inv_table", true, kUnitTableDefault},
                      {"accum", true, "ap_ufixed<24,7,AP_RND,AP_SAT>"}},
            .attrs = {{"axis", AttrType::kInt}},
            .default_table_size = 1024,
            .has_products = true};  // E_j * 1/S
  }
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
