// Softmax in the stable form: exact max subtraction, exp table, sum in the accum type, reciprocal
// from a normalized inverse table, one cast per output (docs/tables.md).
#pragma once

#include <memory>

#include "firmnet/layers/common/hls4ml_table.h"
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
            // The hls4ml style uses hls4ml's own defaults (fpga_backend.py): the result and the
            // accumulator follow Model Precision, the tables and inv_inp are
            // ap_fixed<18,8,AP_RND,AP_SAT> whatever Model Precision says.
            .slots = {{"result", false, "ap_fixed<16,2,AP_RND,AP_SAT>", kDefaultPrecision},
                      {"exp_table", true, kUnitTableDefault, kTableDefault},
                      {"inv_table", true, kUnitTableDefault, kTableDefault},
                      {"accum", true, "ap_ufixed<24,7,AP_RND,AP_SAT>", kDefaultPrecision, 0},
                      {"inv_inp", true, kTableDefault, {}, -1, /*optional=*/true}},
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

// The hls4ml style (docs/tables.md): hls4ml's softmax_stable / softmax_latency tables, sizes
// after its FixSoftmaxTableSize pass, and the type whose top bits address the exp table
// (inp_norm_t for stable, the input type for latency).
struct SoftmaxHls4mlTables {
  FixedType norm;
  int64_t exp_size = 0, inv_size = 0;
  int exp_bits = 0, inv_bits = 0;  // ceil(log2(size))
  std::vector<BigInt> exp, inv;
  // softmax_legacy: both tables in hls4ml's activ_config table_t (ap_fixed<18,8>), the exp
  // table a range table over [-8, 8) addressed by x_j - x_i, the inverse one over [0, 64).
  bool legacy = false;
  FixedType table;
  common::Hls4mlRangeTable exp_range;  // its entries are `exp`
};
// The node's inv_inp type (hls4ml style), its default when a graph leaves the slot out.
FixedType SoftmaxInvInpType(const ir::Node& node);
StatusOr<SoftmaxHls4mlTables> SoftmaxHls4mlTablesFor(const ir::Node& node,
                                                     const NodeInputs& inputs);

}  // namespace firmnet::layers
