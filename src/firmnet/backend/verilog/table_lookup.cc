#include "firmnet/backend/verilog/table_lookup.h"

#include <algorithm>

#include "firmnet/backend/verilog/rom.h"
#include "firmnet/common/check.h"

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

std::string AddRom(LayerContext& ctx, const std::string& suffix, const std::vector<BigInt>& entries,
                   int width) {
  const std::string name = ctx.top + "_" + ctx.prefix + "_" + suffix;
  (*ctx.files)[name + ".v"] = RomModule(name, entries, width);
  return name;
}

MagnitudeRom AddMagnitudeRom(LayerContext& ctx, const std::string& suffix,
                             const layers::common::MagnitudeTable& t, const FixedType& table_type,
                             int a_width) {
  MagnitudeRom r;
  r.type = table_type;
  r.a_width = a_width;
  const int64_t size = static_cast<int64_t>(t.entries.size());
  r.first = size ? t.entries[0] : BigInt(0);
  r.last = size ? t.entries[size - 1] : BigInt(0);
  const int k = t.shift;
  r.drop = k >= 1 ? k - 1 : 0;
  const int above = a_width - r.drop;     // bits of u
  if (above <= 0 || size <= 1) return r;  // every magnitude reads entries[0]
  r.addr_bits = std::min(above, AddressWidth(static_cast<size_t>(size)) + (k >= 1 ? 1 : 0));
  std::vector<BigInt> rom;
  for (int64_t u = 0; u < (int64_t{1} << r.addr_bits); ++u) {
    const int64_t index = std::min(k >= 1 ? (u + 1) >> 1 : u, size - 1);
    rom.push_back(t.entries[index]);
  }
  r.module = AddRom(ctx, suffix, rom, table_type.width);
  return r;
}

Signal MagnitudeLookup(LayerContext& ctx, const MagnitudeRom& rom, const Signal& a) {
  Datapath& dp = ctx.dp;
  const FixedType& t = rom.type;
  FIRMNET_CHECK(a.width == rom.a_width)
      << "magnitude of " << a.width << " bits, ROM laid out for " << rom.a_width;
  if (rom.addr_bits == 0) return Datapath::Const(rom.first, t.width, t.is_signed, t.lsb_exponent());
  const int lo = rom.drop;
  const Signal addr = RawSlice(dp, a, lo + rom.addr_bits - 1, lo, ctx.prefix + "_ta");
  const Signal entry =
      dp.Rom(rom.module, addr, rom.addr_bits, t.width, t.is_signed, t.lsb_exponent());
  if (lo + rom.addr_bits >= a.width) return entry;
  // Some bit above the address: beyond the table, the last entry.
  const Signal high =
      dp.IsPositive(RawSlice(dp, a, a.width - 1, lo + rom.addr_bits, ctx.prefix + "_th"));
  return dp.Mux(high, Datapath::Const(rom.last, t.width, t.is_signed, t.lsb_exponent()), entry);
}

std::string AddInverseRom(LayerContext& ctx, const std::string& suffix,
                          const layers::common::InverseTable& it, int width, int v_width) {
  if (v_width - 1 <= it.bits) return AddRom(ctx, suffix, it.entries, width);
  // InverseLookup addresses it with u = the b + 1 bits below the leading one (truncated); the
  // rounded index of InverseTable::Index is (u + 1) >> 1 <= 2^b.
  std::vector<BigInt> rom;
  for (int64_t u = 0; u < (int64_t{2} << it.bits); ++u) rom.push_back(it.entries[(u + 1) >> 1]);
  return AddRom(ctx, suffix, rom, width);
}

StatusOr<std::vector<Signal>> EmitMagnitudeTableLayer(
    LayerContext& ctx, StatusOr<layers::common::MagnitudeTable> table,
    const std::function<Signal(const Signal& x, const Signal& entry)>& combine) {
  ASSIGN_OR_RETURN(const layers::common::MagnitudeTable t, std::move(table));
  const FixedType& in = ctx.inputs[0]->Precision("result");
  const MagnitudeRom rom = AddMagnitudeRom(ctx, "table", t, ctx.node.Precision("table"), in.width);
  std::vector<Signal> out;
  for (const Signal& x : ctx.in[0]) {
    out.push_back(combine(x, MagnitudeLookup(ctx, rom, AbsRaw(ctx.dp, x, ctx.prefix))));
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
    const Signal zero_top = dp.Op({cur}, OpTiming::Whole(dp.timing().Reduce(s)), 1, false, 0,
                                  ctx.prefix + "_lz", [&dp, s, wu](std::vector<Signal>& o) {
                                    return "~(|" + dp.Bits(o[0], wu - 1, wu - s) + ")";
                                  });
    cur = dp.Op({zero_top, cur}, OpTiming::Bitwise(dp.timing().lut), wu, false, 0,
                ctx.prefix + "_nm", [&dp, s, wu](std::vector<Signal>& o) {
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
      // The ROM is laid out by AddInverseRom for u = mant >> (drop - 1): no rounding adder.
      idx = RawSlice(dp, mant, wu - 2, drop - 1, ctx.prefix + "_ii");
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
