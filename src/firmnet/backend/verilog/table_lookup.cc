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
  std::string name = ctx.top + "_" + ctx.prefix + "_" + suffix;
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
  // MagnitudeLookup reads a magnitude beyond the address range at the all-ones address.
  FIRMNET_CHECK(above == r.addr_bits || rom.back() == t.entries[size - 1])
      << "the last address of a magnitude ROM must hold the last entry";
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
  const int hi = lo + rom.addr_bits - 1;
  Signal addr;
  if (hi + 1 >= a.width) {
    addr = RawSlice(dp, a, hi, lo, ctx.prefix + "_ta");
  } else {
    // Some bit above the address set: beyond the table, the last entry, which the all-ones
    // address holds; so those bits are ORed into every address bit, in front of the ROM (where
    // the stage has room: the read itself takes a stage of its own) instead of a multiplexer
    // behind it.
    const int above = a.width - 1 - hi;
    addr = dp.Op({a}, OpTiming::Bitwise(dp.timing().Reduce(above + 1)), rom.addr_bits, false, 0,
                 ctx.prefix + "_ta", [&dp, &a, hi, lo, &rom](std::vector<Signal>& o) {
                   return dp.Bits(o[0], hi, lo) + " | {" + std::to_string(rom.addr_bits) + "{|" +
                          dp.Bits(o[0], a.width - 1, hi + 1) + "}}";
                 });
  }
  return dp.Rom(rom.module, addr, rom.addr_bits, t.width, t.is_signed, t.lsb_exponent());
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
  FIRMNET_ASSIGN_OR_RETURN(const layers::common::MagnitudeTable t, std::move(table));
  const FixedType& in = ctx.inputs[0]->Precision("result");
  const MagnitudeRom rom = AddMagnitudeRom(ctx, "table", t, ctx.node.Precision("table"), in.width);
  std::vector<Signal> out;
  for (const Signal& x : ctx.in[0]) {
    out.push_back(combine(x, MagnitudeLookup(ctx, rom, AbsRaw(ctx.dp, x, ctx.prefix))));
  }
  return out;
}

namespace {

// Up to this many possible leading-one positions, InverseLookup reads one ROM per position.
constexpr int kMaxParallelInverse = 4;

// One read of the inverse ROM per possible leading-one position p of v, all at once (each
// addressed by fixed bits of v, straight from its register), and a one-hot pick of the right
// one, pre-shifted by its z: no normalizer in front of the ROM.
Signal ParallelInverse(LayerContext& ctx, const std::string& rom,
                       const layers::common::InverseTable& it, const FixedType& table_type,
                       const Signal& v, int min_p, int max_p) {
  Datapath& dp = ctx.dp;
  const int wu = v.width;
  const int b = it.bits;
  const int abits = AddressWidth(it.entries.size());
  const bool doubled = wu - 1 > b;               // AddInverseRom's layout for this width
  std::vector<std::pair<Signal, Signal>> cases;  // p from max_p down
  for (int p = max_p; p >= min_p; --p) {
    // The address: the mantissa bits below the leading one, as the ROM is laid out. Doubled
    // (index (u + 1) >> 1): u = the b + 1 bits below p, zero-padded when fewer exist. Plain: the
    // index j << (b - p).
    const int keep = doubled ? std::min(p, b + 1) : p;  // mantissa bits that reach the address
    const int pad = (doubled ? b + 1 : b) - keep;
    Signal addr;
    if (keep == 0) {
      addr = Datapath::Const(BigInt(0), abits, false, 0);
    } else {
      addr = dp.Op({v}, OpTiming::Slice(p - keep), abits, false, 0, ctx.prefix + "_ia",
                   [&dp, p, keep, pad, abits](std::vector<Signal>& o) {
                     std::string e = dp.Bits(o[0], p - 1, p - keep);
                     if (pad > 0) e += ", " + std::to_string(pad) + "'d0";
                     const int top = abits - keep - pad;
                     if (top > 0) e = std::to_string(top) + "'d0, " + e;
                     return "{" + e + "}";
                   });
    }
    const Signal entry = dp.Rom(rom, addr, abits, table_type.width, false, 0);
    // Leading one at p: bit p set and nothing above it (below min_p nothing is possible, so the
    // lowest position needs only the bits above it).
    const int above = max_p - p;
    Signal sel;
    if (above == 0 && p == min_p) {
      sel = Datapath::Const(BigInt(1), 1, false, 0);
    } else {
      sel = dp.Op({v}, OpTiming::Whole(dp.timing().Reduce(above + 1)), 1, false, 0,
                  ctx.prefix + "_lo", [&dp, p, max_p, min_p](std::vector<Signal>& o) {
                    std::string e;
                    if (p > min_p) e = dp.Bits(o[0], p, p);
                    if (max_p > p) {
                      e += std::string(e.empty() ? "" : " & ") + "~(|" +
                           dp.Bits(o[0], max_p, p + 1) + ")";
                    }
                    return e;
                  });
    }
    // Its value: the entry shifted by z = wu - 1 - p.
    cases.emplace_back(sel, Datapath::Scale(entry, wu - 1 - p));
  }
  return dp.Select(cases);
}

}  // namespace

Signal InverseLookup(LayerContext& ctx, const std::string& rom,
                     const layers::common::InverseTable& it, const FixedType& table_type,
                     const Signal& v, int min_p, int max_p) {
  Datapath& dp = ctx.dp;
  const int wu = v.width;
  max_p = std::min(max_p, wu - 1);
  min_p = std::max(min_p, 0);
  if (max_p - min_p + 1 <= kMaxParallelInverse) {
    return ParallelInverse(ctx, rom, it, table_type, v, min_p, max_p);
  }
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
