// Softmax in hardware, exactly as the emulator computes it (docs/tables.md, "Softmax"):
//   m = max x (a balanced tree of comparisons);  d_j = m - x_j;  E_j = exp ROM[index(d_j)]
//   S = cast_accum(S + E_j) in order (a chain: the accumulator may round and saturate)
//   p = leading-one position of S, found by a logarithmic normalizer that also yields the
//   inverse-table index (the mantissa bits below the leading one, rounded);  inv = inverse ROM
//   y_j = S > 0 ? cast_result(E_j * (inv << z)) : 0, with z = (top position - p): shifting the
//   one reciprocal instead of every product keeps the cast's source exponent fixed.
#include "firmnet/layers/softmax/softmax_verilog.h"

#include <cmath>

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/backend/verilog/rom.h"
#include "firmnet/layers/common/table.h"

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

// Raw bits [hi:lo] of s as an unsigned integer signal (exponent 0).
Signal RawSlice(Datapath& dp, const Signal& s, int hi, int lo, const std::string& prefix) {
  return dp.Op({s}, 0, hi - lo + 1, false, 0, prefix,
               [&dp, hi, lo](std::vector<Signal>& o) { return dp.Bits(o[0], hi, lo); });
}

// The magnitude-table index of a non-negative raw value d (unsigned, exponent 0):
// min((d + 2^(k-1)) >> k, size - 1) (common::MagnitudeTable::Index).
Signal MagnitudeIndex(Datapath& dp, const Signal& d, const common::MagnitudeTable& t, int abits,
                      const std::string& prefix) {
  Signal idx = d;
  const int k = t.shift;
  if (k > d.width) return Datapath::Const(BigInt(0), abits, false, 0);
  if (k > 0) {
    const Signal sum = dp.Add(d, Datapath::Const(BigInt::PowerOfTwo(k - 1), k, false, 0));
    idx = RawSlice(dp, sum, sum.width - 1, k, prefix + "_ix");
  }
  const Signal last = Datapath::Const(BigInt(t.size - 1), abits, false, 0);
  const Signal clamped = dp.Mux(dp.Less(last, idx), last, idx);
  return RawSlice(dp, clamped, abits - 1, 0, prefix + "_ia");
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
  ASSIGN_OR_RETURN(int64_t size, common::ResolveTableSize(node));
  // The same plans as the emulator's kernel (layers/softmax/softmax.cc).
  const BigInt max_d = BigInt::PowerOfTwo(in.width) - BigInt(1);
  const common::MagnitudeTable et =
      common::BuildMagnitudeTable(in.lsb_exponent(), max_d, common::ExpTail(exp_type.frac_bits()),
                                  size, exp_type, [](double d) { return std::exp(-d); });
  const common::InverseTable it = common::BuildInverseTable(size, inv_type);

  const std::string exp_rom = ctx.top + "_" + ctx.prefix + "_exp";
  const std::string inv_rom = ctx.top + "_" + ctx.prefix + "_inv";
  (*ctx.files)[exp_rom + ".v"] = RomModule(exp_rom, et.entries, exp_type.width);
  (*ctx.files)[inv_rom + ".v"] = RomModule(inv_rom, it.entries, inv_type.width);
  const int exp_abits = AddressWidth(et.entries.size());
  const int inv_abits = AddressWidth(it.entries.size());

  const std::vector<Signal>& x = ctx.in[0];
  const Signal m = MaxTree(dp, x);
  std::vector<Signal> e;
  Signal sum = Datapath::Const(BigInt(0), accum.width, accum.is_signed, accum.lsb_exponent());
  for (const Signal& xj : x) {
    // d = m - x_j >= 0 fits in.width unsigned bits; as a raw integer (exponent 0).
    const Signal diff = dp.Sub(m, xj);
    const Signal d = RawSlice(dp, diff, in.width - 1, 0, ctx.prefix + "_d");
    const Signal idx = MagnitudeIndex(dp, d, et, exp_abits, ctx.prefix + "_e");
    e.push_back(dp.Rom(exp_rom, idx, exp_abits, exp_type.width, exp_type.is_signed,
                       exp_type.lsb_exponent()));
    sum = EmitCast(dp, dp.Add(sum, e.back()), accum);
  }
  const Signal positive = dp.IsPositive(sum);
  // The magnitude bits of a positive S, normalized so that the leading one is the top bit.
  const int wu = accum.is_signed ? accum.width - 1 : accum.width;
  Signal cur = RawSlice(dp, sum, wu - 1, 0, ctx.prefix + "_u");
  std::vector<Signal> zbits;  // most significant first
  int top_stage = 0;
  while ((1 << (top_stage + 1)) <= wu - 1) ++top_stage;
  for (int t = wu > 1 ? top_stage : -1; t >= 0; --t) {
    const int s = 1 << t;
    const Signal zero_top = dp.Op({cur}, DelayModel::kLogic, 1, false, 0, ctx.prefix + "_lz",
                                  [&dp, s, wu](std::vector<Signal>& o) {
                                    return "~(|" + dp.Bits(o[0], wu - 1, wu - s) + ")";
                                  });
    cur = dp.Op({zero_top, cur}, DelayModel::kLogic, wu, false, 0, ctx.prefix + "_nm",
                [&dp, s, wu](std::vector<Signal>& o) {
                  const std::string shifted =
                      s == wu ? std::string("") : dp.Bits(o[1], wu - s - 1, 0);
                  return dp.Ref(o[0]) + " ? {" + shifted + ", " + std::to_string(s) + "'d0} : " +
                         dp.Ref(o[1]);
                });
    zbits.push_back(zero_top);
  }
  // Inverse index: the wu-1 bits below the leading one, rounded to b bits (see the header).
  const int b = it.bits;
  Signal inv_idx;
  if (wu - 1 == 0) {
    inv_idx = Datapath::Const(BigInt(0), inv_abits, false, 0);
  } else {
    const Signal mant = RawSlice(dp, cur, wu - 2, 0, ctx.prefix + "_mt");
    const int drop = (wu - 1) - b;
    Signal idx;
    if (drop > 0) {
      const Signal r = dp.Add(mant, Datapath::Const(BigInt::PowerOfTwo(drop - 1), drop, false, 0));
      idx = RawSlice(dp, r, r.width - 1, drop, ctx.prefix + "_ii");
    } else {
      idx = dp.Refine(mant, -drop);
      idx.exponent = 0;
    }
    inv_idx = RawSlice(dp, idx, std::min(idx.width, inv_abits) - 1, 0, ctx.prefix + "_iv");
  }
  const Signal inv = dp.Rom(inv_rom, inv_idx, inv_abits, inv_type.width, inv_type.is_signed, 0);
  // inv << z, z = shift count of the normalizer (= wu - 1 - p), as a logarithmic shifter.
  Signal shifted = inv;
  for (size_t k = 0; k < zbits.size(); ++k) {
    const int s = 1 << (zbits.size() - 1 - k);
    const Signal& bit = zbits[k];
    const Signal up = dp.Refine(shifted, s);
    Signal upr = up;
    upr.exponent = 0;
    shifted = dp.Mux(bit, upr, shifted);
  }
  // value(y_j) = E_j * inv * 2^(e_exp + e_inv - p - e_acc), p = wu - 1 - z.
  const int base = exp_type.lsb_exponent() + inv_type.lsb_exponent() - accum.lsb_exponent() -
                   (wu - 1);
  const Signal zero_y = Datapath::Const(BigInt(0), result.width, result.is_signed,
                                        result.lsb_exponent());
  std::vector<Signal> out;
  for (const Signal& ej : e) {
    Signal raw_e = ej;
    raw_e.exponent = 0;
    Signal p = dp.Mul(raw_e, shifted);
    p.exponent = base;
    out.push_back(dp.Mux(positive, EmitCast(dp, p, result), zero_y));
  }
  return out;
}

}  // namespace firmnet::verilog
