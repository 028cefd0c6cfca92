// Dense with ReuseFactor R > 1: time-multiplexed multipliers (docs/verilog_backend.md).
//
// The M = n_in * n_out products, in input-major order k = i * n_out + j, split into R phases of
// G = M / R (layers/dense/dense_reuse.h; `reuse` and `per_phase` in the code). Multiplier slot m
// computes product k = r*G + m in phase r: its input comes through a mux and its weight from a ROM,
// both indexed by the phase. Each output adds, in phase r, the registered products of the slots
// that belong to it in that phase (a slot feeding several outputs over the phases is masked by the
// phase), in slot order, which is input order: a rounding or saturating accumulator sees exactly
// the emulator's sequence.
//   cycle c0        the layer's inputs are valid (valid strobe `start`): captured in x_hold
//   cycle c0+1+r    phase r: input mux, weight ROM, multiplier, product cast -> registered
//   cycle c0+2+r    the registered products of phase r added to the accumulator register
//   cycle c0+R+2    the accumulator holds the full sum; the result cast follows
// The accumulate loop is one cycle long whatever the stage budget (it cannot be pipelined
// without changing the II). Slots whose weights are zero in every phase get no multiplier.
#include <algorithm>
#include <functional>

#include "firmnet/backend/verilog/cast.h"
#include "firmnet/layers/dense/dense_verilog.h"

namespace firmnet::verilog {
namespace {

int BitsFor(int max_value) {
  int bits = 1;
  while ((1 << bits) <= max_value) ++bits;
  return bits;
}

}  // namespace

StatusOr<std::vector<Signal>> EmitDenseReused(LayerContext& ctx) {
  const ir::Node& node = ctx.node;
  const int reuse = node.settings.reuse_factor;
  const ir::Tensor& wt = node.weights.at("weight");
  const int64_t n_in = wt.shape[0], n_out = wt.shape[1];
  const int64_t per_phase = n_in * n_out / reuse;  // products per phase (R divides M)
  const FixedType& in_t = ctx.inputs[0]->Precision("result");
  const FixedType& weight_t = node.Precision("weight");
  const FixedType& bias_t = node.Precision("bias");
  const FixedType& accum_t = node.Precision("accum");
  const FixedType& result_t = node.Precision("result");
  Datapath& dp = ctx.dp;
  Module& m = dp.module();
  const std::string p = ctx.prefix;

  // Cycle c0: every input present, with room for the capture mux.
  std::vector<Signal> x = ctx.in[0];
  int c0 = 0;
  for (const Signal& s : x) c0 = std::max(c0, s.cycle);
  for (const Signal& s : x) {
    if (s.cycle == c0 && s.delay + dp.timing().lut > dp.budget()) {
      ++c0;
      break;
    }
  }
  for (Signal& s : x) s = dp.At(s, c0);
  const std::string start = dp.Valid(c0);

  // Phase counter: 0 in the cycle after start, counting up to R-1 and staying there.
  const int pb = BitsFor(reuse - 1);
  const std::string ph = m.Fresh(p + "_phase");
  m.DeclareReg(ph, pb);
  const std::string last = UnsignedLiteral(reuse - 1, pb);
  m.ClockedWithReset(ph,
                     m.Ref(start) + " ? " + UnsignedLiteral(0, pb) + " : (" + m.Ref(ph) + " == " +
                         last + " ? " + last + " : " + ph + " + " + UnsignedLiteral(1, pb) + ")",
                     last);
  // The products' phase, one cycle later (for the accumulator's reload and the slot masks).
  const std::string phb = m.Fresh(p + "_phb");
  m.DeclareReg(phb, pb);
  m.Clocked(phb, m.Ref(ph));
  const std::string first = m.Fresh(p + "_first");
  m.DeclareWire(first, 1);
  m.Assign(first, m.Ref(phb) + " == " + UnsignedLiteral(0, pb));

  // Input capture.
  std::vector<std::string> hold;
  for (int64_t i = 0; i < n_in; ++i) {
    const std::string h = m.Fresh(p + "_xh");
    m.DeclareReg(h, in_t.width);
    m.Clocked(h, m.Ref(start) + " ? " + dp.Ext(x[i], in_t.width) + " : " + h);
    hold.push_back(h);
  }
  // Multiplier slots.
  const int sum_top = CastTop(accum_t);
  const int product_top = CastFromModular(accum_t) ? sum_top : Datapath::kNoTop;
  auto phase_case = [&](const std::string& reg, int width,
                        const std::function<std::string(int)>& value) {
    std::vector<std::string> lines = {"case (" + m.Ref(ph) + ")"};
    for (int r = 0; r < reuse; ++r) {
      lines.push_back("  " + UnsignedLiteral(r, pb) + ": " + reg + " = " + value(r) + ";");
    }
    if ((1 << pb) != reuse)
      lines.push_back("  default: " + reg + " = " + Literal(BigInt(0), width) + ";");
    lines.push_back("endcase");
    m.Combinational(lines);
  };
  struct Slot {
    Signal product;               // registered product cast, accumulator type
    std::vector<int64_t> output;  // per phase: the output it feeds (-1: zero weight)
  };
  std::vector<Slot> slots;
  for (int64_t s = 0; s < per_phase; ++s) {
    Slot slot;
    std::vector<int64_t> inputs;
    std::vector<BigInt> ws;
    bool any = false;
    for (int r = 0; r < reuse; ++r) {
      const int64_t k = r * per_phase + s;
      inputs.push_back(k / n_out);
      ws.push_back(QuantizeWeight(wt.data[k], weight_t));
      slot.output.push_back(ws.back().IsZero() ? -1 : k % n_out);
      any |= !ws.back().IsZero();
    }
    if (!any) continue;
    Signal x_sel;
    if (std::all_of(inputs.begin(), inputs.end(), [&](int64_t i) { return i == inputs[0]; })) {
      x_sel = dp.FromWire(hold[inputs[0]], in_t.width, in_t.is_signed, in_t.lsb_exponent(), -1, 0);
    } else {
      const std::string sel = m.Fresh(p + "_xs");
      m.DeclareReg(sel, in_t.width);
      phase_case(sel, in_t.width, [&](int r) { return m.Ref(hold[inputs[r]]); });
      x_sel = dp.FromWire(sel, in_t.width, in_t.is_signed, in_t.lsb_exponent(), -1, 0);
    }
    const std::string wsel = m.Fresh(p + "_w");
    m.DeclareReg(wsel, weight_t.width);
    phase_case(wsel, weight_t.width, [&](int r) { return Literal(ws[r], weight_t.width); });
    const Signal w =
        dp.FromWire(wsel, weight_t.width, weight_t.is_signed, weight_t.lsb_exponent(), -1, 0);
    Signal prod = dp.Mul(x_sel, w, UseDspForSignals(node.settings.multiplier));
    if (product_top != Datapath::kNoTop && prod.exponent + prod.width > product_top) {
      const int width = std::max(1, product_top - prod.exponent);
      prod = dp.Op({prod}, OpTiming::Wire(), width, true, prod.exponent, p + "_pt",
                   [&dp, width](std::vector<Signal>& o) { return dp.Ext(o[0], width); });
    }
    const Signal pc = EmitCast(dp, prod, accum_t);
    const std::string preg = m.Fresh(p + "_p");
    m.DeclareReg(preg, pc.width);
    m.Clocked(preg, dp.Ref(pc));
    slot.product = dp.FromWire(preg, pc.width, pc.is_signed, pc.exponent, -1, 0);
    slots.push_back(std::move(slot));
  }

  // Accumulators.
  std::vector<Signal> out;
  for (int64_t j = 0; j < n_out; ++j) {
    std::vector<Signal> terms;  // in slot order = input order within a phase
    for (const Slot& slot : slots) {
      std::vector<int> mine;
      bool other = false;  // the slot feeds another output (a nonzero weight) in some phase
      for (int r = 0; r < reuse; ++r) {
        if (slot.output[r] == j) mine.push_back(r);
        other |= slot.output[r] >= 0 && slot.output[r] != j;
      }
      if (mine.empty()) continue;
      if (!other) {  // zero-weight phases give a zero product: no mask needed
        terms.push_back(slot.product);
        continue;
      }
      std::string cond;
      for (int r : mine) {
        cond += (cond.empty() ? "" : " | ") + std::string("(") + m.Ref(phb) +
                " == " + UnsignedLiteral(r, pb) + ")";
      }
      const std::string mask = m.Fresh(p + "_mk");
      m.DeclareWire(mask, 1);
      m.Assign(mask, cond);
      const Signal zero =
          Datapath::Const(BigInt(0), accum_t.width, accum_t.is_signed, accum_t.lsb_exponent());
      terms.push_back(dp.Mux(dp.FromWire(mask, 1, false, 0, -1, 0), slot.product, zero));
    }
    const BigInt bacc = Cast(QuantizeWeight(node.weights.at("bias").data[j], bias_t),
                             bias_t.lsb_exponent(), accum_t);
    const Signal bias =
        Datapath::Const(bacc, accum_t.width, accum_t.is_signed, accum_t.lsb_exponent());
    const std::string acc = m.Fresh(p + "_acc");
    m.DeclareReg(acc, accum_t.width);
    const Signal acc_sig =
        dp.FromWire(acc, accum_t.width, accum_t.is_signed, accum_t.lsb_exponent(), -1, 0);
    const Signal first_sig = dp.FromWire(first, 1, false, 0, -1, 0);
    Signal next = dp.Mux(first_sig, bias, acc_sig);
    if (CastWraps(accum_t)) {
      terms.insert(terms.begin(), next);
      next = EmitCast(dp, dp.SumTree(terms, sum_top), accum_t);
    } else {
      next = EmitCast(dp, next, accum_t);
      for (const Signal& t : terms) next = EmitCast(dp, dp.Add(next, t), accum_t);
    }
    m.Clocked(acc, dp.Ext(next, accum_t.width));
    const Signal done = dp.FromWire(acc, accum_t.width, accum_t.is_signed, accum_t.lsb_exponent(),
                                    c0 + reuse + 2, 0);
    out.push_back(EmitCast(dp, done, result_t));
  }
  return out;
}

}  // namespace firmnet::verilog
