#include "firmnet/backend/verilog/table_lookup.h"

#include <algorithm>

#include "firmnet/backend/verilog/rom.h"

namespace firmnet::verilog {

Signal RawSlice(Datapath& dp, const Signal& s, int hi, int lo, const std::string& prefix) {
  if (s.IsConst()) {
    return Datapath::Const((s.constant >> lo).Truncate(hi - lo + 1, false), hi - lo + 1, false, 0);
  }
  return dp.Op({s}, OpTiming::Slice(lo), hi - lo + 1, false, 0, prefix,
               [&dp, hi, lo](std::vector<Signal>& o) { return dp.Bits(o[0], hi, lo); });
}

Signal AbsRaw(Datapath& dp, const Signal& x, const std::string& prefix) {
  Signal raw = x;
  raw.exponent = 0;
  if (!x.is_signed) return RawSlice(dp, raw, x.width - 1, 0, prefix + "_a");
  const Signal neg = dp.IsNegative(raw);
  const Signal mag = dp.Mux(neg, dp.Neg(raw), raw);  // -min needs one more bit: W+1 signed
  return RawSlice(dp, mag, x.width - 1, 0, prefix + "_a");
}

Signal MagnitudeIndex(Datapath& dp, const Signal& d, const layers::common::MagnitudeTable& t,
                      int abits, const std::string& prefix) {
  Signal idx = d;
  const int k = t.shift;
  if (k > d.width) return Datapath::Const(BigInt(0), abits, false, 0);
  if (k > 0) {
    const Signal sum = dp.Add(d, Datapath::Const(BigInt::PowerOfTwo(k - 1), k, false, 0));
    idx = RawSlice(dp, sum, sum.width - 1, k, prefix + "_ix");
  }
  // The plan cuts the table at the largest reachable index; the clamp is logic only when the
  // requested size is smaller than that.
  const BigInt d_max = BigInt::PowerOfTwo(d.width) - BigInt(1);
  const BigInt reach = k > 0 ? (d_max + BigInt::PowerOfTwo(k - 1)) >> k : d_max;
  if (reach <= BigInt(t.size - 1)) {
    if (idx.width >= abits) return RawSlice(dp, idx, abits - 1, 0, prefix + "_ia");
    return idx;
  }
  const Signal last = Datapath::Const(BigInt(t.size - 1), abits, false, 0);
  const Signal clamped = dp.Mux(dp.Less(last, idx), last, idx);
  return RawSlice(dp, clamped, abits - 1, 0, prefix + "_ia");
}

std::string AddRom(LayerContext& ctx, const std::string& suffix, const std::vector<BigInt>& entries,
                   int width) {
  const std::string name = ctx.top + "_" + ctx.prefix + "_" + suffix;
  (*ctx.files)[name + ".v"] = RomModule(name, entries, width);
  return name;
}

Signal MagnitudeLookup(LayerContext& ctx, const std::string& rom,
                       const layers::common::MagnitudeTable& t, const FixedType& table_type,
                       const Signal& a) {
  const int abits = AddressWidth(t.entries.size());
  const Signal idx = MagnitudeIndex(ctx.dp, a, t, abits, ctx.prefix + "_t");
  return ctx.dp.Rom(rom, idx, abits, table_type.width, table_type.is_signed,
                    table_type.lsb_exponent());
}

StatusOr<std::vector<Signal>> EmitMagnitudeTableLayer(
    LayerContext& ctx, StatusOr<layers::common::MagnitudeTable> table,
    const std::function<Signal(const Signal& x, const Signal& entry)>& combine) {
  ASSIGN_OR_RETURN(const layers::common::MagnitudeTable t, std::move(table));
  const FixedType& table_type = ctx.node.Precision("table");
  const std::string rom = AddRom(ctx, "table", t.entries, table_type.width);
  std::vector<Signal> out;
  for (const Signal& x : ctx.in[0]) {
    out.push_back(combine(x, MagnitudeLookup(ctx, rom, t, table_type, AbsRaw(ctx.dp, x, ctx.prefix))));
  }
  return out;
}

Signal InverseLookup(LayerContext& ctx, const std::string& rom,
                     const layers::common::InverseTable& it, const FixedType& table_type,
                     const Signal& v, int min_p) {
  Datapath& dp = ctx.dp;
  const int wu = v.width;
  const int max_shift = std::max(0, wu - 1 - min_p);
  const int abits = AddressWidth(it.entries.size());
  Signal cur = v;
  std::vector<Signal> zbits;  // most significant first
  int top_stage = 0;
  while ((1 << (top_stage + 1)) <= max_shift) ++top_stage;
  for (int t = max_shift > 0 ? top_stage : -1; t >= 0; --t) {
    const int s = 1 << t;
    const Signal zero_top = dp.Op({cur}, OpTiming::Whole(dp.timing().Reduce(s)), 1, false, 0, ctx.prefix + "_lz",
                                  [&dp, s, wu](std::vector<Signal>& o) {
                                    return "~(|" + dp.Bits(o[0], wu - 1, wu - s) + ")";
                                  });
    cur = dp.Op({zero_top, cur}, OpTiming::Bitwise(dp.timing().lut), wu, false, 0, ctx.prefix + "_nm",
                [&dp, s, wu](std::vector<Signal>& o) {
                  return dp.Ref(o[0]) + " ? {" + dp.Bits(o[1], wu - s - 1, 0) + ", " +
                         std::to_string(s) + "'d0} : " + dp.Ref(o[1]);
                });
    zbits.push_back(zero_top);
  }
  // The index: the wu-1 bits below the leading one, rounded to b bits.
  const int b = it.bits;
  Signal idx;
  if (wu - 1 == 0) {
    idx = Datapath::Const(BigInt(0), abits, false, 0);
  } else {
    const Signal mant = RawSlice(dp, cur, wu - 2, 0, ctx.prefix + "_mt");
    const int drop = (wu - 1) - b;
    if (drop > 0) {
      const Signal r = dp.Add(mant, Datapath::Const(BigInt::PowerOfTwo(drop - 1), drop, false, 0));
      idx = RawSlice(dp, r, r.width - 1, drop, ctx.prefix + "_ii");
    } else {
      idx = dp.Refine(mant, -drop);
      idx.exponent = 0;
    }
    if (idx.width > abits) idx = RawSlice(dp, idx, abits - 1, 0, ctx.prefix + "_iv");
  }
  const Signal inv = dp.Rom(rom, idx, abits, table_type.width, table_type.is_signed, 0);
  // inv << z, as a logarithmic shifter driven by the normalizer's decisions.
  Signal shifted = inv;
  for (size_t k = 0; k < zbits.size(); ++k) {
    const int s = 1 << (zbits.size() - 1 - k);
    Signal up = dp.Refine(shifted, s);
    up.exponent = 0;
    shifted = dp.Mux(zbits[k], up, shifted);
  }
  return shifted;
}

}  // namespace firmnet::verilog
