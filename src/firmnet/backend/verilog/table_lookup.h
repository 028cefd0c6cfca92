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

// Adds ROM module `<top>_<prefix>_<suffix>` holding `entries` to the project; returns its name.
std::string AddRom(LayerContext& ctx, const std::string& suffix, const std::vector<BigInt>& entries,
                   int width);

// A magnitude table laid out so that a lookup needs no index arithmetic. The index of
// docs/tables.md, min((a + 2^(k-1)) >> k, size - 1), equals min((u + 1) >> 1, size - 1) with
// u = a >> (k - 1) (k >= 1; u = a and no rounding when k = 0). So the ROM is addressed by the low
// bits of u directly and holds that index's entry at every address (twice the entries when
// k >= 1); any higher bit of u set means the last entry, which the all-ones address holds, so
// those bits are ORed into the address. This replaces a rounding adder and a clamp comparison
// in front of the ROM.
struct MagnitudeRom {
  std::string module;
  int drop = 0;       // a's low bits below the address (k - 1, or 0)
  int addr_bits = 0;  // address width; 0: a has no bits above `drop` (the entry is `first`)
  int a_width = 0;    // the magnitudes' width
  BigInt first;       // entries[0]
  FixedType type;     // the entries' type
};
// For raw magnitudes of `a_width` unsigned bits; adds module `<top>_<prefix>_<suffix>`.
MagnitudeRom AddMagnitudeRom(LayerContext& ctx, const std::string& suffix,
                             const layers::common::MagnitudeTable& t, const FixedType& table_type,
                             int a_width);

// The table's entry for the raw magnitude `a` (unsigned, exponent 0, rom.a_width bits), as a
// value of the table's type.
Signal MagnitudeLookup(LayerContext& ctx, const MagnitudeRom& rom, const Signal& a);

// The shape every magnitude-table activation shares: one ROM of `table` (entries of the node's
// "table" type) and, per input element x, out = combine(x, entry(|x|)), where combine applies
// the layer's sign rule and its result cast.
StatusOr<std::vector<Signal>> EmitMagnitudeTableLayer(
    LayerContext& ctx, StatusOr<layers::common::MagnitudeTable> table,
    const std::function<Signal(const Signal& x, const Signal& entry)>& combine);

// Adds the ROM InverseLookup reads for values v of `v_width` bits: the entries as they are, or,
// when the bits below v's leading one are more than the table's b, laid out by the b + 1 bits
// below it so that the lookup needs no rounding adder (index = (u + 1) >> 1, as for magnitude
// tables). Returns the module's name.
std::string AddInverseRom(LayerContext& ctx, const std::string& suffix,
                          const layers::common::InverseTable& it, int width, int v_width);

// The reciprocal of an unsigned raw v > 0 of w = v.width bits through an inverse table (its ROM
// `rom` made by AddInverseRom for this width) (docs/tables.md, "Inverse tables"), with the
// leading one p of v known to lie in [min_p, max_p]. The entry is returned shifted left by
// z = w - 1 - p: the result's value (raw * 2^exponent, the exponent being w - 1 - max_p or 0)
// is entry * 2^z, so that
//   1 / v  ~=  value(result) * 2^(e_table - (w - 1))   (in units of v's raw value).
// For at most 4 possible positions, one ROM read per position, each addressed by fixed bits of
// v, and a one-hot pick by the leading one; otherwise a logarithmic normalizer finds p and
// yields the index (the bits below the leading one, rounded) for one read.
Signal InverseLookup(LayerContext& ctx, const std::string& rom,
                     const layers::common::InverseTable& it, const FixedType& table_type,
                     const Signal& v, int min_p, int max_p);

}  // namespace firmnet::verilog
