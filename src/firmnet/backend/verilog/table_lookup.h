// Table lookups shared by the table activations (sigmoid, tanh, softplus, elu, softmax): the
// magnitude-table index of docs/tables.md in logic, and the ROM modules holding exactly the
// emulator's table entries (the plans come from the layers' own *Table() functions).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "firmnet/backend/verilog/layer_emitter.h"
#include "firmnet/layers/common/table.h"

namespace firmnet::verilog {

// Raw bits [hi:lo] of s as an unsigned integer signal (exponent 0).
Signal RawSlice(Datapath& dp, const Signal& s, int hi, int lo, const std::string& prefix);

// |x| as an unsigned raw integer (exponent 0), x.width bits.
Signal AbsRaw(Datapath& dp, const Signal& x, const std::string& prefix);

// min((d + 2^(k-1)) >> k, size - 1) for an unsigned raw d (MagnitudeTable::Index), abits wide.
Signal MagnitudeIndex(Datapath& dp, const Signal& d, const layers::common::MagnitudeTable& t,
                      int abits, const std::string& prefix);

// Adds ROM module `<top>_<prefix>_<suffix>` holding `entries` to the project; returns its name.
std::string AddRom(LayerContext& ctx, const std::string& suffix, const std::vector<BigInt>& entries,
                   int width);

// The entry of a magnitude table for the raw magnitude `a` (index logic plus a ROM read), as a
// value of `table_type`.
Signal MagnitudeLookup(LayerContext& ctx, const std::string& rom,
                       const layers::common::MagnitudeTable& t, const FixedType& table_type,
                       const Signal& a);

// The shape every magnitude-table activation shares: one ROM of `table` (entries of the node's
// "table" type) and, per input element x, out = combine(x, entry(|x|)), where combine applies
// the layer's sign rule and its result cast.
StatusOr<std::vector<Signal>> EmitMagnitudeTableLayer(
    LayerContext& ctx, StatusOr<layers::common::MagnitudeTable> table,
    const std::function<Signal(const Signal& x, const Signal& entry)>& combine);

// The reciprocal of an unsigned raw v > 0 of w = v.width bits through an inverse table
// (docs/tables.md, "Inverse tables"): a logarithmic normalizer finds the leading one p (known to
// be >= min_p) and yields the table index (the bits below the leading one, rounded); the entry
// is returned shifted left by z = w - 1 - p, as a raw integer (exponent 0). Then
//   1 / v  ~=  result * 2^(e_table - (w - 1))   (in units of v's raw value).
Signal InverseLookup(LayerContext& ctx, const std::string& rom,
                     const layers::common::InverseTable& it, const FixedType& table_type,
                     const Signal& v, int min_p);

}  // namespace firmnet::verilog
