// The pipelined datapath builder: fixed-point signals with their pipeline stage and their
// combinational delay, and the arithmetic the layer emitters are written in.
//
// Pipelining rule (docs/verilog_backend.md): every signal carries the cycle in which it is valid
// and the estimated delay (ns) of the logic since the last register. An operation takes its
// operands in the latest cycle among them (earlier ones go through shared delay registers); when
// the slowest operand's delay plus the operation's own delay would exceed the stage budget, the
// operands are registered first and the operation starts the next stage. So no register-to-
// register path exceeds the budget (unless one operation alone does) and registers appear only
// where the budget demands them. Constants belong to every cycle.
//
// Delay model (docs/verilog_backend.md, "Pipelining rule and delay model"): the delays are those
// of the configured Part's family, from the same table `firmnet synth` estimates timing with
// (report/xilinx_part.h), so the two agree on what a stage costs. A carry-chain adder is charged
// the way the estimator sees it bit by bit: bit group c (4 bits, one CARRY4) of a signal arrives
// no later than min(delay, base + carry_step * c), so a tree of k adders costs about
// k * (LUT + carry entry) plus one ripple, not k ripples.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "firmnet/backend/verilog/vast.h"
#include "firmnet/common/status.h"
#include "firmnet/fixed/fixed_type.h"
#include "firmnet/fixed/fixed_value.h"
#include "firmnet/report/xilinx_part.h"

namespace firmnet::verilog {

// A fixed-point value in the datapath: raw bits `name` (or a constant), value = raw * 2^exponent.
struct Signal {
  std::string name;  // empty: a constant
  BigInt constant;
  int width = 1;
  bool is_signed = false;
  int exponent = 0;
  int cycle = 0;
  double delay = 0;  // ns after the start of `cycle` when its slowest bit settles
  double base = 0;   // ... and its lowest 4-bit group (<= delay); see the delay model above
  bool IsConst() const { return name.empty(); }
};

// The part family's delays (report::DelayModel: ns, routing included; the very table `firmnet
// synth` estimates with) plus what the schedule derives from them for one clock period.
struct StageTiming : report::DelayModel {
  int dsp_a = 27, dsp_b = 18;  // signed multiplier inputs of one DSP slice
  double budget = 0;           // clock period - FF clock-to-out - FF setup (at least 0.5 ns)

  // For a part (xcku115-flvb2104-2-i...) at a clock period; an unknown part is InvalidArgument
  // naming the config key `Part`.
  static StatusOr<StageTiming> For(std::string_view part, double clock_period_ns);
  // Carry groups (CARRY4-sized) of a w-bit chain.
  static int Groups(int width) { return width <= 4 ? 1 : (width + 3) / 4; }
  // One LUT level feeding a carry chain.
  double CarryIn() const { return lut + carry_entry; }
  // The whole ripple of a w-bit chain after its first group.
  double Ripple(int width) const { return carry_step * (Groups(width) - 1); }
  // A ROM read of 2^addr_bits entries in LUTs, as Yosys maps a `case` ROM (see datapath.cc).
  double Rom(int addr_bits) const;
  // An AND/OR reduction of `bits` inputs in LUT6 levels.
  double Reduce(int bits) const;
  // A multiplier of wa x wb signed bits: one DSP slice, or several whose partial products a
  // fabric adder tree combines.
  double Dsp(int wa, int wb) const;
};

// What a design's arithmetic was built of (design.json "arithmetic", the README, the CLI):
// products with a constant weight as DSP multipliers / in shift-and-add (canonical signed
// digits; powers of two, which are wiring, included), products of two
// signals in DSPs / in LUTs, and adders/subtractors.
struct ArithmeticCounts {
  int dsp_constant = 0, shift_add = 0, dsp_variable = 0, lut_variable = 0, adders = 0;
};

// How an operation's delay relates to its operands' arrival (see Datapath::Op).
struct OpTiming {
  enum class Kind {
    kWire,      // wiring that keeps bit positions or moves them up (extension, left shift)
    kSlice,     // drops the `lo` low bits (the new bit 0 is old bit lo)
    kBitwise,   // each output bit from the same-position input bits (+ select), `delay` more
    kCarry,     // a `width`-bit carry-chain adder/subtractor
    kCarryOut,  // a `width`-bit carry chain whose one output is its carry out (a comparison)
    kWhole,     // every output bit needs every input bit: `delay` after the slowest
  };
  Kind kind = Kind::kWire;
  double delay = 0;
  int width = 0;
  int lo = 0;
  static OpTiming Wire() { return {Kind::kWire}; }
  static OpTiming Slice(int lo) { return {Kind::kSlice, 0, 0, lo}; }
  static OpTiming Bitwise(double d) { return {Kind::kBitwise, d}; }
  static OpTiming Carry(int width) { return {Kind::kCarry, 0, width}; }
  static OpTiming CarryOut(int width) { return {Kind::kCarryOut, 0, width}; }
  static OpTiming Whole(double d) { return {Kind::kWhole, d}; }
};

class Datapath {
 public:
  Datapath(Module& module, const StageTiming& timing) : m_(module), t_(timing) {}
  Module& module() { return m_; }
  const StageTiming& timing() const { return t_; }
  double budget() const { return t_.budget; }

  // A constant; width/signedness as given (the value must fit).
  static Signal Const(const BigInt& value, int width, bool is_signed, int exponent);
  // A signal that is an existing declared wire/reg/port slice expression.
  Signal FromWire(const std::string& name, int width, bool is_signed, int exponent, int cycle,
                  double delay);

  // The same value in cycle `cycle` (>= s.cycle), through shared delay registers.
  Signal At(const Signal& s, int cycle);
  // When s settles in cycle `cycle` (>= s.cycle), in ns after the clock edge: its own delay in
  // its own cycle, 0 from a flip-flop, and later from a register that ends a chain of three or
  // more (synthesis packs those into a shift register, SRL, with a slower clock-to-output).
  double Arrival(const Signal& s, int cycle) const;

  // A new wire computed from operands. The operands are brought to a common cycle (registered
  // first when the result would settle after the stage budget); `expr` receives them in that
  // cycle and returns the Verilog expression of exactly `width` bits.
  Signal Op(std::vector<Signal> operands, OpTiming timing, int width, bool is_signed, int exponent,
            const std::string& prefix,
            const std::function<std::string(std::vector<Signal>&)>& expr);

  // Expressions (mark the bits they read).
  std::string Ext(const Signal& s, int width);        // sign/zero extension or low-bit slice
  std::string Bits(const Signal& s, int hi, int lo);  // a slice (constants: a literal)
  std::string Ref(const Signal& s) { return Bits(s, s.width - 1, 0); }

  // Arithmetic, exact unless `top` is given: then only the value modulo 2^top matters (the bits
  // of weight 2^top and above are not computed), which is all a wrapping accumulator needs.
  // Operands' exponents are aligned to the finer one.
  static constexpr int kNoTop = 1 << 30;
  Signal Add(const Signal& a, const Signal& b, int top = kNoTop);
  Signal Sub(const Signal& a, const Signal& b, int top = kNoTop);
  Signal Neg(const Signal& a, int top = kNoTop);
  // The same value on a finer grid: raw << n, exponent - n (wiring only).
  Signal Refine(const Signal& a, int n);
  // The same raw bits read with another exponent (a multiplication by a power of two).
  static Signal Scale(const Signal& a, int by) {
    Signal s = a;
    s.exponent += by;
    return s;
  }
  // Signed form: unsigned values get a zero sign bit.
  Signal AsSigned(const Signal& a);
  // cond (a 1-bit signal) ? a : b, on a common grid and width.
  Signal Mux(const Signal& cond, const Signal& a, const Signal& b);
  // One-hot selection among (select, value) cases: the value whose 1-bit select is set (0 when
  // none is), on the values' common grid and width; an AND-OR, ceil(log6(2n)) LUT levels.
  Signal Select(const std::vector<std::pair<Signal, Signal>>& cases);
  // 1-bit a < b (exact, any signedness/exponents).
  Signal Less(const Signal& a, const Signal& b);
  Signal IsPositive(const Signal& a);  // a > 0
  Signal IsNegative(const Signal& a);  // a < 0
  // a * b with b a constant raw (exponent b_exp), shift-and-add in canonical signed digits
  // (use_dsp false) or one multiplier (true). Exact unless `top` is given (see Add).
  Signal MulConst(const Signal& a, const BigInt& b, int b_exp, bool use_dsp, int top = kNoTop);
  // a * b for two signals (exact). With use_dsp: a DSP, or one DSP per pair of slice-sized
  // chunks and a sum of the partial products when an operand is wider than one slice's port.
  // Without: in LUTs, one partial product (the wider operand ANDed with one bit of the
  // narrower) per bit, summed in an adder tree.
  Signal Mul(const Signal& a, const Signal& b, bool use_dsp = true);

  // Balanced sum of terms (exact, or modulo 2^top).
  Signal SumTree(std::vector<Signal> terms, int top = kNoTop);

  // A read of a ROM module (ports addr, data) at address `addr` (unsigned, addr_width bits). It
  // takes a pipeline stage of its own: the address is registered first unless it comes straight
  // from a register, and what uses the data starts in the next cycle.
  Signal Rom(const std::string& module, const Signal& addr, int addr_width, int width,
             bool is_signed, int exponent);

  // The valid strobe of pipeline cycle `cycle`: cycle 0 is `source` (set by SetValidSource, the
  // accepted-input strobe); later cycles are reset-cleared registers, created on demand.
  void SetValidSource(const std::string& source) { valid_ = {source}; }
  std::string Valid(int cycle);

  // What was built so far.
  const ArithmeticCounts& counts() const { return counts_; }

  // s cut into chunks that each fit a signed multiplier port of `port` bits, least
  // significant first: unsigned chunks of port - 1 bits, then the top one with s's signedness.
  std::vector<Signal> SliceChunks(const Signal& s, int port);

  // Registers every signal into one final cycle (the latest one given, plus one).
  std::vector<Signal> RegisterAll(const std::vector<Signal>& signals);

 private:
  Module& m_;
  StageTiming t_;
  std::map<std::pair<std::string, int>, std::string> delayed_;  // (name, cycle) -> register
  std::vector<std::string> valid_;
  ArithmeticCounts counts_;
};

// Number of nonzero digits in the canonical signed-digit form of v, and the digits themselves
// (value = sum of sign * 2^shift).
struct CsdDigit {
  int shift;
  bool negative;
};
std::vector<CsdDigit> CsdDigits(const BigInt& v);

}  // namespace firmnet::verilog
