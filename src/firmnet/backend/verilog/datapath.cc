#include "firmnet/backend/verilog/datapath.h"

#include <algorithm>
#include <optional>
#include <tuple>

#include "firmnet/common/check.h"

namespace firmnet::verilog {
namespace {

int SignedWidth(const Signal& s) { return s.width + (s.is_signed ? 0 : 1); }

// The narrowest signed width holding v.
int MinSignedWidth(const BigInt& v) {
  int w = 1;
  while (!v.FitsSigned(w)) ++w;
  return w;
}

// The output's (base, delay) from the operands' latest (base, delay), per OpTiming.
std::pair<double, double> Settle(const OpTiming& t, const StageTiming& f, double base,
                                 double delay) {
  switch (t.kind) {
    case OpTiming::Kind::kWire:
      return {base, delay};
    case OpTiming::Kind::kSlice: {
      const int group = t.lo / 4;  // the carry group (CARRY4) the new bit 0 arrives with
      return {std::min(delay, base + f.carry_step * group), delay};
    }
    case OpTiming::Kind::kBitwise:
      return {base + t.delay, delay + t.delay};
    case OpTiming::Kind::kCarry:
      return {base + f.CarryIn(), f.CarryIn() + std::max(delay, base + f.Ripple(t.width))};
    case OpTiming::Kind::kCarryOut: {
      const double d = f.CarryIn() + std::max(delay, base + f.Ripple(t.width));
      return {d, d};
    }
    case OpTiming::Kind::kWhole:
      return {delay + t.delay, delay + t.delay};
  }
  return {delay, delay};
}

}  // namespace

StatusOr<StageTiming> StageTiming::For(std::string_view part, double clock_period_ns) {
  auto family = report::FamilyForPart(part);
  if (!family.ok()) {
    return InvalidArgument("config key Part: " + family.status().message() +
                           " (the Verilog backend takes its delay model from the part's family)");
  }
  const report::DelayModel& d = report::DelayModelFor(*family);
  StageTiming t;
  static_cast<report::DelayModel&>(t) = d;
  const bool series7 = *family == report::XilinxFamily::kXc7;
  t.dsp_a = series7 ? 25 : 27;
  t.dsp_b = 18;
  t.budget = std::max(0.5, clock_period_ns - d.ff_clk_to_q - d.ff_setup);
  return t;
}

double StageTiming::Rom(int addr_bits) const {
  // Measured on Yosys 0.23's mapping of `case` ROMs with random contents (docs/synth.md): one
  // LUT6 up to 6 address bits, a MUXF level per bit up to 8, then a second LUT level and two
  // MUXF levels per further bit (1024 entries: 2 LUT + 4 MUXF, 2048: 2 + 6, 4096: 2 + 8).
  if (addr_bits <= 6) return lut;
  if (addr_bits <= 8) return lut + (addr_bits - 6) * muxf;
  return 2 * lut + 2 * (addr_bits - 8) * muxf;
}

double StageTiming::Reduce(int bits) const {
  int levels = 1;
  for (int reach = 6; reach < bits; reach *= 6) ++levels;
  return levels * lut;
}

double StageTiming::Dsp(int wa, int wb) const {
  if (wa < wb) std::swap(wa, wb);
  // Slices along each input (a signed slice input carries dsp_a - 1 / dsp_b - 1 magnitude bits).
  // The top slice takes `port` signed bits, each further one port - 1 unsigned bits.
  auto parts = [](int w, int port) { return w <= port ? 1 : 1 + (w - 2) / (port - 1); };
  const int n = std::min(parts(wa, dsp_a) * parts(wb, dsp_b), parts(wa, dsp_b) * parts(wb, dsp_a));
  int levels = 0;
  while ((1 << levels) < n) ++levels;
  return dsp_comb + levels * CarryIn() + (levels ? Ripple(wa + wb) : 0);
}

Signal Datapath::Const(const BigInt& value, int width, bool is_signed, int exponent) {
  Signal s;
  s.constant = value;
  s.width = width;
  s.is_signed = is_signed;
  s.exponent = exponent;
  s.cycle = -1;
  return s;
}

Signal Datapath::FromWire(const std::string& name, int width, bool is_signed, int exponent,
                          int cycle, double delay) {
  Signal s;
  s.name = name;
  s.width = width;
  s.is_signed = is_signed;
  s.exponent = exponent;
  s.cycle = cycle;
  s.delay = delay;
  s.base = delay;
  return s;
}

Signal Datapath::At(const Signal& s, int cycle) {
  if (s.IsConst() || s.cycle < 0 || s.cycle == cycle) return s;
  FIRMNET_CHECK(cycle > s.cycle) << "signal " << s.name << " of cycle " << s.cycle
                                 << " needed in cycle " << cycle;
  std::string prev = s.name;
  for (int k = s.cycle + 1; k <= cycle; ++k) {
    auto key = std::make_pair(s.name, k);
    auto it = delayed_.find(key);
    if (it == delayed_.end()) {
      const std::string reg = m_.Fresh(s.name + "_c" + std::to_string(k));
      m_.DeclareReg(reg, s.width);
      m_.Clocked(reg, m_.Ref(prev));
      it = delayed_.emplace(key, reg).first;
    }
    prev = it->second;
  }
  Signal out = s;
  out.name = prev;
  out.cycle = cycle;
  out.base = out.delay = Arrival(s, cycle);
  return out;
}

double Datapath::Arrival(const Signal& s, int cycle) const {
  if (s.IsConst() || s.cycle < 0) return 0;
  if (s.cycle == cycle) return s.delay;
  // The last register of a chain of three or more is packed into a shift register (an SRL,
  // as Yosys' `xilinx_srl -minlen 3` and Vivado do), whose clock-to-output is slower than a
  // flip-flop's: its value arrives that much later in the stage.
  return cycle - s.cycle >= 3 ? std::max(0.0, t_.srl_clk_to_q - t_.ff_clk_to_q) : 0;
}

Signal Datapath::Op(std::vector<Signal> operands, OpTiming timing, int width, bool is_signed,
                    int exponent, const std::string& prefix,
                    const std::function<std::string(std::vector<Signal>&)>& expr) {
  int cycle = -1;
  for (const Signal& s : operands) {
    if (!s.IsConst()) cycle = std::max(cycle, s.cycle);
  }
  // The operands' latest (base, delay) when they are taken in cycle c.
  auto latest = [&](int c) {
    double base = 0, delay = 0;
    for (const Signal& s : operands) {
      base = std::max(base, s.cycle == c ? s.base : Arrival(s, c));
      delay = std::max(delay, Arrival(s, c));
    }
    return std::make_pair(base, delay);
  };
  auto [base, delay] = latest(cycle);
  auto [out_base, out_delay] = Settle(timing, t_, base, delay);
  if (cycle >= 0 && delay > 0 && out_delay > t_.budget) {
    ++cycle;
    std::tie(base, delay) = latest(cycle);
    std::tie(out_base, out_delay) = Settle(timing, t_, base, delay);
  }
  for (Signal& s : operands) s = At(s, cycle);
  const std::string text = expr(operands);
  const std::string name = m_.Fresh(prefix);
  m_.DeclareWire(name, width);
  m_.Assign(name, text);
  Signal out = FromWire(name, width, is_signed, exponent, cycle, cycle < 0 ? 0 : out_delay);
  out.base = cycle < 0 ? 0 : out_base;
  return out;
}

std::string Datapath::Bits(const Signal& s, int hi, int lo) {
  FIRMNET_CHECK(lo >= 0 && hi >= lo && hi < s.width)
      << "slice [" << hi << ":" << lo << "] of a " << s.width << "-bit signal";
  if (s.IsConst()) {
    return Literal(s.constant >> lo, hi - lo + 1);
  }
  return m_.Slice(s.name, hi, lo);
}

std::string Datapath::Ext(const Signal& s, int width) {
  if (s.IsConst()) return Literal(s.constant, width);
  if (width <= s.width) return Bits(s, width - 1, 0);
  const int k = width - s.width;
  const std::string all = m_.Ref(s.name);
  if (s.is_signed) {
    const std::string msb =
        s.width == 1 ? s.name : s.name + "[" + std::to_string(s.width - 1) + "]";
    return k == 1 ? "{" + msb + ", " + all + "}"
                  : "{{" + std::to_string(k) + "{" + msb + "}}, " + all + "}";
  }
  return "{" + std::to_string(k) + "'d0, " + all + "}";
}

Signal Datapath::Refine(const Signal& a, int n) {
  FIRMNET_CHECK(n >= 0) << "Refine by " << n;
  if (n == 0) return a;
  if (a.IsConst()) return Const(a.constant << n, a.width + n, a.is_signed, a.exponent - n);
  return Op({a}, OpTiming::Wire(), a.width + n, a.is_signed, a.exponent - n, "sh",
            [&, n](std::vector<Signal>& o) {
              return "{" + Ref(o[0]) + ", " + std::to_string(n) + "'d0}";
            });
}

Signal Datapath::AsSigned(const Signal& a) {
  if (a.is_signed) return a;
  if (a.IsConst()) return Const(a.constant, a.width + 1, true, a.exponent);
  return Op({a}, OpTiming::Wire(), a.width + 1, true, a.exponent, "sg",
            [&](std::vector<Signal>& o) { return "{1'b0, " + Ref(o[0]) + "}"; });
}

Signal Datapath::Add(const Signal& a0, const Signal& b0, int top) {
  const int e = std::min(a0.exponent, b0.exponent);
  Signal a = Refine(a0, a0.exponent - e), b = Refine(b0, b0.exponent - e);
  const bool sgn = a.is_signed || b.is_signed;
  int w = std::max(sgn ? SignedWidth(a) : a.width, sgn ? SignedWidth(b) : b.width) + 1;
  if (top != kNoTop) w = std::min(w, std::max(1, top - e));
  if (a.IsConst() && b.IsConst()) return Const(a.constant + b.constant, w, sgn, e);
  if (a.IsConst() && a.constant.IsZero()) return b;
  if (b.IsConst() && b.constant.IsZero()) return a;
  ++counts_.adders;
  return Op({a, b}, OpTiming::Carry(w), w, sgn, e, "add",
            [&, w](std::vector<Signal>& o) { return Ext(o[0], w) + " + " + Ext(o[1], w); });
}

Signal Datapath::Sub(const Signal& a0, const Signal& b0, int top) {
  const int e = std::min(a0.exponent, b0.exponent);
  const Signal a = Refine(a0, a0.exponent - e), b = Refine(b0, b0.exponent - e);
  int w = std::max(SignedWidth(a), SignedWidth(b)) + 1;
  if (top != kNoTop) w = std::min(w, std::max(1, top - e));
  if (a.IsConst() && b.IsConst()) return Const(a.constant - b.constant, w, true, e);
  ++counts_.adders;
  return Op({a, b}, OpTiming::Carry(w), w, true, e, "sub",
            [&, w](std::vector<Signal>& o) { return Ext(o[0], w) + " - " + Ext(o[1], w); });
}

Signal Datapath::Neg(const Signal& a, int top) {
  int w = SignedWidth(a) + 1;
  if (top != kNoTop) w = std::min(w, std::max(1, top - a.exponent));
  if (a.IsConst()) return Const(-a.constant, w, true, a.exponent);
  return Op({a}, OpTiming::Carry(w), w, true, a.exponent, "neg",
            [&, w](std::vector<Signal>& o) { return "-" + Ext(o[0], w); });
}

Signal Datapath::Mux(const Signal& cond, const Signal& a0, const Signal& b0) {
  const int e = std::min(a0.exponent, b0.exponent);
  const Signal a = Refine(a0, a0.exponent - e), b = Refine(b0, b0.exponent - e);
  const bool sgn = a.is_signed || b.is_signed;
  const int w = std::max(sgn ? SignedWidth(a) : a.width, sgn ? SignedWidth(b) : b.width);
  return Op({cond, a, b}, OpTiming::Bitwise(t_.lut), w, sgn, e, "mux",
            [&, w](std::vector<Signal>& o) {
              return Ref(o[0]) + " ? " + Ext(o[1], w) + " : " + Ext(o[2], w);
            });
}

Signal Datapath::Select(const std::vector<std::pair<Signal, Signal>>& cases) {
  FIRMNET_CHECK(!cases.empty()) << "Select of no cases";
  int e = cases[0].second.exponent;
  bool sgn = false;
  for (const auto& c : cases) {
    e = std::min(e, c.second.exponent);
    sgn |= c.second.is_signed;
  }
  std::vector<Signal> ops;
  int w = 1;
  for (const auto& [sel, value] : cases) {
    ops.push_back(sel);
    ops.push_back(Refine(value, value.exponent - e));
    w = std::max(w, sgn ? SignedWidth(ops.back()) : ops.back().width);
  }
  return Op(ops, OpTiming::Bitwise(t_.Reduce(static_cast<int>(ops.size()))), w, sgn, e, "sel",
            [&, w](std::vector<Signal>& o) {
              std::string expr;
              for (size_t k = 0; k + 1 < o.size(); k += 2) {
                expr += (expr.empty() ? "(" : " | (") + std::string("{") + std::to_string(w) + "{" +
                        Ref(o[k]) + "}} & " + Ext(o[k + 1], w) + ")";
              }
              return expr;
            });
}

Signal Datapath::Less(const Signal& a0, const Signal& b0) {
  const int e = std::min(a0.exponent, b0.exponent);
  const Signal a = Refine(a0, a0.exponent - e), b = Refine(b0, b0.exponent - e);
  const bool sgn = a.is_signed || b.is_signed;
  const int w = std::max(sgn ? SignedWidth(a) : a.width, sgn ? SignedWidth(b) : b.width);
  return Op({a, b}, OpTiming::CarryOut(w), 1, false, 0, "lt", [&, w, sgn](std::vector<Signal>& o) {
    if (sgn) return "$signed(" + Ext(o[0], w) + ") < $signed(" + Ext(o[1], w) + ")";
    return Ext(o[0], w) + " < " + Ext(o[1], w);
  });
}

Signal Datapath::IsPositive(const Signal& a) {
  if (a.IsConst()) {
    return Const(BigInt(!a.constant.IsNegative() && !a.constant.IsZero()), 1, false, 0);
  }
  return Op({a}, OpTiming::Whole(t_.Reduce(a.width)), 1, false, 0, "pos",
            [&](std::vector<Signal>& o) {
              if (!o[0].is_signed) return "|" + Ref(o[0]);
              if (o[0].width == 1) return std::string("1'b0");
              return "~" + Bits(o[0], o[0].width - 1, o[0].width - 1) + " & (|" +
                     Bits(o[0], o[0].width - 2, 0) + ")";
            });
}

Signal Datapath::IsNegative(const Signal& a) {
  if (a.IsConst()) return Const(BigInt(a.constant.IsNegative() ? 1 : 0), 1, false, 0);
  if (!a.is_signed) return Const(BigInt(0), 1, false, 0);
  return Op({a}, OpTiming::Whole(0), 1, false, 0, "ng",
            [&](std::vector<Signal>& o) { return Bits(o[0], o[0].width - 1, o[0].width - 1); });
}

std::vector<CsdDigit> CsdDigits(const BigInt& v) {
  std::vector<CsdDigit> digits;
  BigInt x = v;
  int shift = 0;
  while (!x.IsZero()) {
    if (x.Bit(0)) {
      const bool negative = x.Bit(1);  // ...11 -> -1 (then a carry), ...01 -> +1
      digits.push_back({shift, negative});
      x = negative ? x + BigInt(1) : x - BigInt(1);
    }
    x = x >> 1;
    ++shift;
  }
  return digits;
}

Signal Datapath::SumTree(std::vector<Signal> terms, int top) {
  if (terms.empty()) return Const(BigInt(0), 1, false, 0);
  // Huffman's rule on arrival times: always add the two terms that are ready first (constants
  // before everything, then by cycle and delay; ties in the order given, sums after the terms
  // they came from). With equal adder delays this minimizes the sum's arrival; with equal
  // arrivals it is the balanced tree.
  using Key = std::tuple<int, double, size_t>;
  auto key = [](const Signal& s, size_t seq) {
    return s.IsConst() ? Key{-1, 0.0, seq} : Key{s.cycle, s.delay, seq};
  };
  std::vector<std::pair<Key, Signal>> heap;
  for (size_t i = 0; i < terms.size(); ++i) heap.emplace_back(key(terms[i], i), terms[i]);
  auto later = [](const auto& a, const auto& b) { return a.first > b.first; };
  std::make_heap(heap.begin(), heap.end(), later);
  size_t seq = terms.size();
  auto pop = [&] {
    std::pop_heap(heap.begin(), heap.end(), later);
    Signal s = std::move(heap.back().second);
    heap.pop_back();
    return s;
  };
  while (heap.size() > 1) {
    const Signal a = pop();
    const Signal b = pop();
    Signal sum = Add(a, b, top);
    heap.emplace_back(key(sum, seq++), std::move(sum));
    std::push_heap(heap.begin(), heap.end(), later);
  }
  return heap[0].second;
}

Signal Datapath::MulConst(const Signal& a, const BigInt& b, int b_exp, bool use_dsp, int top) {
  const int exponent = a.exponent + b_exp;
  if (b.IsZero()) return Const(BigInt(0), 1, false, exponent);
  const std::vector<CsdDigit> digits = CsdDigits(b);
  if (a.IsConst()) {
    return Const(a.constant * b, SignedWidth(a) + MinSignedWidth(b), true, exponent);
  }
  if (use_dsp && digits.size() > 1) {
    int w = SignedWidth(a) + MinSignedWidth(b);
    if (top != kNoTop) w = std::min(w, std::max(1, top - exponent));
    ++counts_.dsp_constant;
    return Op({a}, OpTiming::Whole(t_.Dsp(SignedWidth(a), MinSignedWidth(b))), w, true, exponent,
              "mul", [&, w](std::vector<Signal>& o) {
                return "$signed(" + Ext(o[0], w) + ") * $signed(" + Literal(b, w) + ")";
              });
  }
  // Shift-and-add: a * 2^k terms (free wiring), positives summed, negatives subtracted.
  ++counts_.shift_add;
  std::vector<Signal> pos, neg;
  for (const CsdDigit& d : digits) (d.negative ? neg : pos).push_back(Scale(a, d.shift + b_exp));
  if (neg.empty()) return SumTree(pos, top);
  if (pos.empty()) return Neg(SumTree(neg, top), top);
  return Sub(SumTree(pos, top), SumTree(neg, top), top);
}

std::vector<Signal> Datapath::SliceChunks(const Signal& s, int port) {
  std::vector<Signal> out;
  int lo = 0;
  // Low chunks of port - 1 unsigned bits while the rest does not fit one signed port.
  while (s.width - lo + (s.is_signed ? 0 : 1) > port) {
    const int hi = lo + port - 2;
    out.push_back(Op({s}, OpTiming::Slice(lo), port - 1, false, s.exponent + lo, "mc",
                     [&, hi, lo](std::vector<Signal>& o) { return Bits(o[0], hi, lo); }));
    lo += port - 1;
  }
  if (lo == 0) {
    out.push_back(s);
  } else {
    const int hi = s.width - 1;
    out.push_back(Op({s}, OpTiming::Slice(lo), hi - lo + 1, s.is_signed, s.exponent + lo, "mc",
                     [&, hi, lo](std::vector<Signal>& o) { return Bits(o[0], hi, lo); }));
  }
  return out;
}

Signal Datapath::Mul(const Signal& a0, const Signal& b0, bool use_dsp) {
  // The wider operand goes to the slice's wider port (or makes the rows of a LUT multiplier).
  const bool swap = SignedWidth(a0) < SignedWidth(b0);
  const Signal& a = swap ? b0 : a0;
  const Signal& b = swap ? a0 : b0;
  if (!use_dsp) {
    ++counts_.lut_variable;
    // Row k: a if bit k of b is set (weight 2^k; the sign bit of a signed b weighs -2^k).
    std::vector<Signal> pos;
    std::optional<Signal> neg;
    for (int k = 0; k < b.width; ++k) {
      Signal row = Op({a, b}, OpTiming::Bitwise(t_.lut), a.width, a.is_signed, a.exponent, "pp",
                      [&, k](std::vector<Signal>& o) {
                        return "{" + std::to_string(o[0].width) + "{" + Bits(o[1], k, k) + "}} & " +
                               Ref(o[0]);
                      });
      row = Scale(row, b.exponent + k);
      if (b.is_signed && k == b.width - 1) {
        neg = row;
      } else {
        pos.push_back(row);
      }
    }
    const Signal sum = SumTree(pos);
    return neg ? Sub(sum, *neg) : sum;
  }
  ++counts_.dsp_variable;
  auto product = [&](const Signal& x, const Signal& y) {
    const int w = SignedWidth(x) + SignedWidth(y);
    return Op({x, y}, OpTiming::Whole(t_.dsp_comb), w, true, x.exponent + y.exponent, "mul",
              [&, w](std::vector<Signal>& o) {
                return "$signed(" + Ext(o[0], w) + ") * $signed(" + Ext(o[1], w) + ")";
              });
  };
  if (SignedWidth(a) <= t_.dsp_a && SignedWidth(b) <= t_.dsp_b) return product(a, b);
  // Wider than one slice: one DSP per pair of chunks (low chunks unsigned, the top one signed),
  // and the shifted partial products summed in a balanced tree. Built here rather than left to
  // synthesis so that the schedule can put a register between the slices and their sum.
  std::vector<Signal> partials;
  for (const Signal& x : SliceChunks(a, t_.dsp_a)) {
    for (const Signal& y : SliceChunks(b, t_.dsp_b)) partials.push_back(product(x, y));
  }
  return SumTree(partials);
}

Signal Datapath::Rom(const std::string& module, const Signal& addr0, int addr_width, int width,
                     bool is_signed, int exponent) {
  // A ROM read takes a stage of its own. Its address comes straight from a register: Yosys's ABC
  // merges logic in front of a `case` ROM into the ROM's first LUT level and multiplies its size
  // (measured: a 2048 x 18 ROM behind one XOR, 4.3 k LUTs and 5.7 ns instead of 0.7 k LUTs and
  // 2.8 ns). And its data goes straight into a register (below).
  const Signal addr =
      addr0.IsConst() || addr0.cycle < 0 || addr0.delay <= 0 ? addr0 : At(addr0, addr0.cycle + 1);
  std::string data;
  Signal out = Op({addr}, OpTiming::Whole(t_.Rom(addr_width)), width, is_signed, exponent,
                  module + "_q", [&](std::vector<Signal>& o) {
                    data = m_.Fresh(module + "_data");
                    m_.DeclareWire(data, width);
                    m_.Instance(module, m_.Fresh(module + "_u"),
                                {{"addr", Ext(o[0], addr_width)}, {"data", data}});
                    return m_.Ref(data);
                  });
  // A ROM read ends its stage: its whole data word goes into one register, which every use
  // reads. (Yosys merges that register into the read port; a ROM whose data bits feed logic, or
  // several registers, gets its address register merged instead and moved behind it. And ABC
  // would merge the ROM's multiplexer tree with the logic behind it: measured on the jet
  // tagger's reciprocal table and its shifter, 12 MUXF levels where the parts count 6 MUXF and
  // 3 LUT levels.)
  return out.cycle >= 0 ? At(out, out.cycle + 1) : out;
}

std::string Datapath::Valid(int cycle) {
  FIRMNET_CHECK(!valid_.empty()) << "no valid source";
  while (static_cast<int>(valid_.size()) <= cycle) {
    const std::string v = "valid_c" + std::to_string(valid_.size());
    m_.DeclareReg(v, 1);
    m_.ClockedWithReset(v, m_.Ref(valid_.back()), "1'b0");
    valid_.push_back(v);
  }
  return valid_[cycle];
}

std::vector<Signal> Datapath::RegisterAll(const std::vector<Signal>& signals) {
  int cycle = 0;
  for (const Signal& s : signals) cycle = std::max(cycle, s.cycle);
  std::vector<Signal> out;
  out.reserve(signals.size());
  for (const Signal& s : signals) out.push_back(At(s, cycle + 1));
  return out;
}

}  // namespace firmnet::verilog
