#include "firmnet/backend/verilog/cast.h"

#include <algorithm>

#include "firmnet/common/check.h"

namespace firmnet::verilog {
namespace {

// The rounding increment (1 bit) for dropping the low `r` bits of x (r >= 1, x.width > r), per
// the Q rules of CastImpl: `up` from the dropped bits, the sign and the floor's lsb.
std::string RoundUp(Datapath& dp, std::vector<Signal>& o, Rounding q, int r) {
  const Signal& x = o[0];
  // Built on demand: each reference marks the bits it reads as used.
  auto msb = [&] { return dp.Bits(x, r - 1, r - 1); };  // the half bit
  auto rest = [&] { return r > 1 ? "(|" + dp.Bits(x, r - 2, 0) + ")" : std::string("1'b0"); };
  auto neg = [&] {
    return x.is_signed ? dp.Bits(x, x.width - 1, x.width - 1) : std::string("1'b0");
  };
  switch (q) {
    case Rounding::kTrn:
      return "1'b0";
    case Rounding::kTrnZero:
      return "(" + neg() + " & (|" + dp.Bits(x, r - 1, 0) + "))";
    case Rounding::kRnd:
      return msb();
    case Rounding::kRndZero:
      return "(" + msb() + " & (" + rest() + " | " + neg() + "))";
    case Rounding::kRndMinInf:
      return "(" + msb() + " & " + rest() + ")";
    case Rounding::kRndInf:
      return "(" + msb() + " & (" + rest() + " | ~" + neg() + "))";
    case Rounding::kRndConv:
      return "(" + msb() + " & (" + rest() + " | " + dp.Bits(x, r, r) + "))";
  }
  return "1'b0";
}

// Quantization: the value on the target's grid (the floor plus the rounding increment).
Signal Quantize(Datapath& dp, Signal x, const FixedType& to) {
  const int r = to.lsb_exponent() - x.exponent;
  if (r <= 0) return dp.Refine(x, -r);
  // Make room so the floor keeps at least the sign bit (and one more bit for the increment).
  if (x.width <= r) {
    const int w = r + 1;
    if (x.IsConst()) {
      x = Datapath::Const(x.constant, w, x.is_signed, x.exponent);
    } else {
      x = dp.Op({x}, OpTiming::Wire(), w, x.is_signed, x.exponent, "qx",
                [&dp, w](std::vector<Signal>& o) { return dp.Ext(o[0], w); });
    }
  }
  const int fw = x.width - r;  // floor width
  if (to.rounding == Rounding::kTrn) {
    if (x.IsConst()) return Datapath::Const(x.constant >> r, fw, x.is_signed, to.lsb_exponent());
    return dp.Op({x}, OpTiming::Slice(r), fw, x.is_signed, to.lsb_exponent(), "fl",
                 [&dp, r](std::vector<Signal>& o) { return dp.Bits(o[0], o[0].width - 1, r); });
  }
  // floor + up, one bit wider (the increment may carry into a new top bit).
  const int w = fw + 1;
  const Rounding q = to.rounding;
  return dp.Op({x}, OpTiming::Carry(w + r), w, x.is_signed, to.lsb_exponent(), "rnd",
               [&dp, r, w, q, fw](std::vector<Signal>& o) {
                 const Signal& v = o[0];
                 const std::string floor = dp.Bits(v, v.width - 1, r);
                 const std::string top =
                     v.is_signed ? dp.Bits(v, v.width - 1, v.width - 1) : std::string("1'b0");
                 (void)fw;
                 return "{" + top + ", " + floor + "} + {" + std::to_string(w - 1) + "'d0, " +
                        RoundUp(dp, o, q, r) + "}";
               });
}

Signal EmitOverflow(Datapath& dp, Signal q, const FixedType& to, bool always_fits, bool sym_min);

}  // namespace

Signal EmitCast(Datapath& dp, const Signal& in, const FixedType& to) {
  Signal q = Quantize(dp, in, to);
  const int w = to.width;
  const int wq = q.width;
  const bool sq = q.is_signed;
  // Does every value of q fit the target? Then the overflow rule never acts.
  const bool always_fits = to.is_signed ? (sq ? wq <= w : wq <= w - 1) : (!sq && wq <= w);
  const bool sym_min = to.overflow == Overflow::kSatSym && to.is_signed && sq && wq >= w;
  if (q.IsConst()) {
    // Constants are cast at generation time with the emulator's own function.
    const BigInt raw = Cast(q.constant, q.exponent, to);
    return Datapath::Const(raw, w, to.is_signed, to.lsb_exponent());
  }
  if ((always_fits && !sym_min) || CastWraps(to)) {
    if (q.width == w && q.is_signed == to.is_signed) return q;
    return dp.Op({q}, OpTiming::Wire(), w, to.is_signed, to.lsb_exponent(), "cw",
                 [&dp, w](std::vector<Signal>& o) { return dp.Ext(o[0], w); });
  }
  return EmitOverflow(dp, q, to, always_fits, sym_min);
}

namespace {

Signal EmitOverflow(Datapath& dp, Signal q, const FixedType& to, bool always_fits, bool sym_min) {
  const int w = to.width;
  if (q.width < w) {  // an unsigned target of a narrow signed value: widen, keeping the sign
    q = dp.Op({q}, OpTiming::Wire(), w, q.is_signed, q.exponent, "qw",
              [&dp, w](std::vector<Signal>& o) { return dp.Ext(o[0], w); });
  }
  const int wq = q.width;
  const bool sq = q.is_signed;
  const BigInt max =
      to.is_signed ? BigInt::PowerOfTwo(w - 1) - BigInt(1) : BigInt::PowerOfTwo(w) - BigInt(1);
  const BigInt min = to.is_signed ? -BigInt::PowerOfTwo(w - 1) : BigInt(0);
  const Overflow ov = to.overflow;
  const int n = to.sat_bits;
  const bool tsigned = to.is_signed;
  return dp.Op(
      {q}, OpTiming::Whole(dp.timing().Reduce(q.width - w + 1) + dp.timing().lut), w, to.is_signed,
      to.lsb_exponent(), "sat", [&, w, wq, sq, always_fits](std::vector<Signal>& o) {
        const Signal& v = o[0];
        // fits: the bits above the kept ones are all copies of the sign (signed target)
        // or all zero (unsigned target).
        std::string fits;
        if (always_fits) {
          fits = "1'b1";
        } else if (tsigned) {
          const std::string top = dp.Bits(v, wq - 1, w - 1);
          fits = sq ? "((&" + top + ") | ~(|" + top + "))" : "~(|" + top + ")";
        } else {
          fits = wq > w ? "~(|" + dp.Bits(v, wq - 1, w) + ")" : "~" + dp.Bits(v, wq - 1, wq - 1);
        }
        const std::string neg = sq ? dp.Bits(v, wq - 1, wq - 1) : "1'b0";
        std::string low = dp.Ext(v, w);
        switch (ov) {
          case Overflow::kWrap: {
            FIRMNET_CHECK(n > 0) << "plain wrap handled above";
            const std::string ones = tsigned ? neg : "~" + neg;
            // The low w-n bits always come from q; the top n bits saturate.
            std::string top_bits = "(" + fits + " ? " + dp.Bits(v, w - 1, w - n) + " : {" +
                                   std::to_string(n) + "{" + ones + "}})";
            if (n == w) return top_bits;
            return "{" + top_bits + ", " + dp.Bits(v, w - n - 1, 0) + "}";
          }
          case Overflow::kSat:
            return fits + " ? " + low + " : (" + neg + " ? " + Literal(min, w) + " : " +
                   Literal(max, w) + ")";
          case Overflow::kSatZero:
            return fits + " ? " + low + " : " + Literal(BigInt(0), w);
          case Overflow::kSatSym:
            if (tsigned) {
              const std::string in_range = sym_min ? "(" + low + " == " + Literal(min, w) + " ? " +
                                                         Literal(-max, w) + " : " + low + ")"
                                                   : low;
              return fits + " ? " + in_range + " : (" + neg + " ? " + Literal(-max, w) + " : " +
                     Literal(max, w) + ")";
            }
            return fits + " ? " + low + " : (" + neg + " ? " + Literal(BigInt(0), w) + " : " +
                   Literal(max, w) + ")";
        }
        return low;
      });
}

}  // namespace
}  // namespace firmnet::verilog
