// Softmax in hardware, exactly as the emulator computes it (docs/tables.md, "Softmax"):
//   d_j = max(x) - x_j (pairwise differences and a one-hot pick of the maximum's row for up to
//   8 elements, a balanced max tree beyond);  E_j = exp ROM[index(d_j)]
//   S = cast_accum(S + E_j) in order (a chain: the accumulator may round and saturate; a tree
//   when no partial sum can round or saturate)
//   p = leading-one position of S; inv = inverse ROM[the mantissa bits below it, rounded]: one
//   read per possible p and a one-hot pick when an exact sum bounds p to a few positions, else
//   a logarithmic normalizer in front of one read (table_lookup.h, InverseLookup)
//   y_j = S > 0 ? cast_result(E_j * (inv << z)) : 0, with z = (top position - p): shifting the
//   one reciprocal instead of every product keeps the cast's source exponent fixed.
#include "firmnet/layers/softmax/softmax_verilog.h"

#include <cmath>

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/backend/verilog/rom.h"
#include "firmnet/backend/verilog/table_lookup.h"
#include "firmnet/layers/common/table.h"
#include "firmnet/layers/softmax/softmax.h"

namespace firmnet::verilog {
namespace {

namespace common = layers::common;

Signal MaxTree(Datapath& dp, std::vector<Signal> v) {
  while (v.size() > 1) {
    std::vector<Signal> next;
    for (size_t i = 0; i + 1 < v.size(); i += 2) {
      next.push_back(dp.Mux(dp.Less(v[i], v[i + 1]), v[i + 1], v[i]));
    }
    if (v.size() % 2) next.push_back(v.back());
    v = std::move(next);
  }
  return v[0];
}

// Up to this many elements, d_j = max(x) - x_j is built from all pairwise differences.
constexpr size_t kMaxPairwise = 8;

// d_j = max(x) - x_j (>= 0) as raw integers of `width` bits. For a few elements, every
// difference x_i - x_j is computed at once; their signs pick the (first) maximum's row i, one-hot,
// and d_j is that row's difference: one subtraction plus two LUT levels, where a max tree costs
// log2(n) comparisons and multiplexers and then the subtraction.
std::vector<Signal> DistancesToMax(Datapath& dp, const std::vector<Signal>& x, int width,
                                   const std::string& prefix) {
  const size_t n = x.size();
  std::vector<Signal> d;
  if (n > kMaxPairwise) {
    const Signal m = MaxTree(dp, x);
    for (const Signal& xj : x)
      d.push_back(RawSlice(dp, dp.Sub(m, xj), width - 1, 0, prefix + "_d"));
    return d;
  }
  std::vector<std::vector<Signal>> diff(n, std::vector<Signal>(n));
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      if (i != j) diff[i][j] = dp.Sub(x[i], x[j]);
    }
  }
  // Row i holds the maximum (the first one on ties): x_i > x_j before it, x_i >= x_j after it.
  std::vector<Signal> sel;
  for (size_t i = 0; i < n; ++i) {
    std::vector<Signal> signs;
    for (size_t j = 0; j < n; ++j) {
      if (j != i) signs.push_back(dp.IsNegative(j < i ? diff[j][i] : diff[i][j]));
    }
    if (signs.empty()) {
      sel.push_back(Datapath::Const(BigInt(1), 1, false, 0));
      continue;
    }
    const size_t before = i;  // signs[0..i) are (x_j - x_i < 0); the rest (x_i - x_j < 0)
    sel.push_back(dp.Op(signs, OpTiming::Whole(dp.timing().Reduce(static_cast<int>(n - 1))), 1,
                        false, 0, prefix + "_mx", [&dp, before](std::vector<Signal>& o) {
                          std::string e;
                          for (size_t k = 0; k < o.size(); ++k) {
                            e += (e.empty() ? "" : " & ") + std::string(k < before ? "" : "~") +
                                 dp.Ref(o[k]);
                          }
                          return e;
                        }));
  }
  for (size_t j = 0; j < n; ++j) {
    if (n == 1) {
      d.push_back(Datapath::Const(BigInt(0), width, false, 0));
      continue;
    }
    // d_j >= 0 fits `width` unsigned bits of the selected row's difference.
    std::vector<std::pair<Signal, Signal>> rows;
    for (size_t i = 0; i < n; ++i) {
      if (i != j) rows.emplace_back(sel[i], RawSlice(dp, diff[i][j], width - 1, 0, prefix + "_r"));
    }
    const Signal dj = dp.Select(rows);
    d.push_back(dj);
  }
  return d;
}

}  // namespace

namespace common = layers::common;

StatusOr<std::vector<Signal>> VerilogLayer<LayerKind::kSoftmax>::Emit(LayerContext& ctx) {
  const ir::Node& node = ctx.node;
  Datapath& dp = ctx.dp;
  const FixedType& in = ctx.inputs[0]->Precision("result");
  const FixedType& result = node.Precision("result");
  const FixedType& exp_type = node.Precision("exp_table");
  const FixedType& inv_type = node.Precision("inv_table");
  const FixedType& accum = node.Precision("accum");
  // The emulator's own tables (layers/softmax/softmax.h).
  FIRMNET_ASSIGN_OR_RETURN(layers::SoftmaxTables tables,
                           layers::SoftmaxTablesFor(node, ctx.inputs));
  const common::MagnitudeTable& et = tables.exp;
  const common::InverseTable& it = tables.inv;

  const MagnitudeRom exp_rom = AddMagnitudeRom(ctx, "exp", et, exp_type, in.width);
  // The magnitude bits of a positive S, normalized below so that the leading one is the top bit.
  const int wu = accum.is_signed ? accum.width - 1 : accum.width;
  const std::string inv_rom = AddInverseRom(ctx, "inv", it, inv_type.width, wu);

  const std::vector<Signal>& x = ctx.in[0];
  const std::vector<Signal> dist = DistancesToMax(dp, x, in.width, ctx.prefix);
  std::vector<Signal> e;
  Signal sum = Datapath::Const(BigInt(0), accum.width, accum.is_signed, accum.lsb_exponent());
  // When no partial sum can round or overflow the accumulator, every cast in the ordered sum is
  // the identity, and a balanced tree computes the same value sooner.
  BigInt max_entry(0);
  for (const BigInt& v : et.entries) max_entry = v > max_entry ? v : max_entry;
  const int align = exp_type.lsb_exponent() - accum.lsb_exponent();
  const BigInt accum_max = accum.is_signed ? BigInt::PowerOfTwo(accum.width - 1) - BigInt(1)
                                           : BigInt::PowerOfTwo(accum.width) - BigInt(1);
  const bool exact_sum = align >= 0 && align < 200 &&
                         (max_entry * BigInt(static_cast<int64_t>(x.size())) << align) <= accum_max;
  for (const Signal& d : dist) {
    // d = max(x) - x_j >= 0 fits in.width unsigned bits; a raw integer (exponent 0).
    e.push_back(MagnitudeLookup(ctx, exp_rom, d));
    if (!exact_sum) sum = EmitCast(dp, dp.Add(sum, e.back()), accum);
  }
  if (exact_sum) sum = EmitCast(dp, dp.SumTree(e), accum);
  // An exact sum includes the row maximum's entry, exp_table[0] (d = 0): then S >= that entry,
  // S > 0 always, and the leading one is never below its position, which bounds the shift.
  const BigInt entry0 = et.entries.empty() ? BigInt(0) : et.entries[0] << std::max(align, 0);
  const bool sum_bounded = exact_sum && !entry0.IsZero();
  const int min_p = sum_bounded ? common::BitLength(entry0) - 1 : 0;
  // An exact sum is at most n times the largest entry, which bounds the leading one from above.
  int max_p = wu - 1;
  if (exact_sum) {
    const BigInt s_max = max_entry * BigInt(static_cast<int64_t>(x.size())) << align;
    max_p = s_max.IsZero() ? 0 : common::BitLength(s_max) - 1;
  }
  const Signal positive =
      sum_bounded ? Datapath::Const(BigInt(1), 1, false, 0) : dp.IsPositive(sum);
  const Signal cur = RawSlice(dp, sum, wu - 1, 0, ctx.prefix + "_u");
  const Signal shifted = InverseLookup(ctx, inv_rom, it, inv_type, cur, min_p, max_p);
  // value(y_j) = E_j * inv * 2^(e_exp + e_inv - p - e_acc), p = wu - 1 - z.
  const int base =
      exp_type.lsb_exponent() + inv_type.lsb_exponent() - accum.lsb_exponent() - (wu - 1);
  const Signal zero_y =
      Datapath::Const(BigInt(0), result.width, result.is_signed, result.lsb_exponent());
  std::vector<Signal> out;
  for (const Signal& ej : e) {
    Signal raw_e = ej;
    raw_e.exponent = 0;
    const Signal y = EmitCast(
        dp,
        Datapath::Scale(dp.Mul(raw_e, shifted, UseDspForSignals(node.settings.multiplier)), base),
        result);
    out.push_back(sum_bounded ? y : dp.Mux(positive, y, zero_y));
  }
  return out;
}

}  // namespace firmnet::verilog
