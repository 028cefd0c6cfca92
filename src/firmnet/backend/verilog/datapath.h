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
// Delay model (ns, UltraScale -2 class fabric, routing included): an adder, subtractor or
// comparator of w bits 0.35 + 0.02 w (a LUT level, the carry chain and a net); a 2:1 mux or a
// small reduction 0.35; a DSP multiplier without its internal registers 2.4; a ROM read of up to
// a few thousand entries 1.0 (LUT6 + MUXF7/F8 + a LUT level); wiring (shifts, slices, sign
// extension) 0. The stage budget is ClockPeriod - 0.6 ns (clock-to-out, setup, clock
// uncertainty), at least 0.5 ns.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "firmnet/backend/verilog/vast.h"
#include "firmnet/fixed/fixed_type.h"
#include "firmnet/fixed/fixed_value.h"

namespace firmnet::verilog {

// A fixed-point value in the datapath: raw bits `name` (or a constant), value = raw * 2^exponent.
struct Signal {
  std::string name;  // empty: a constant
  BigInt constant;
  int width = 1;
  bool is_signed = false;
  int exponent = 0;
  int cycle = 0;
  double delay = 0;
  bool IsConst() const { return name.empty(); }
};

struct DelayModel {
  static double Add(int width) { return 0.35 + 0.02 * width; }
  static constexpr double kLogic = 0.35;
  static constexpr double kDsp = 2.4;
  static constexpr double kRom = 1.0;
  static constexpr double kOverhead = 0.6;
  static double Budget(double clock_period_ns) {
    return clock_period_ns - kOverhead < 0.5 ? 0.5 : clock_period_ns - kOverhead;
  }
};

class Datapath {
 public:
  Datapath(Module& module, double budget_ns) : m_(module), budget_(budget_ns) {}
  Module& module() { return m_; }
  double budget() const { return budget_; }

  // A constant; width/signedness as given (the value must fit).
  static Signal Const(const BigInt& value, int width, bool is_signed, int exponent);
  // A signal that is an existing declared wire/reg/port slice expression.
  Signal FromWire(const std::string& name, int width, bool is_signed, int exponent, int cycle,
                  double delay);

  // The same value in cycle `cycle` (>= s.cycle), through shared delay registers.
  Signal At(const Signal& s, int cycle);

  // A new wire computed from operands. The operands are brought to a common cycle (registered
  // first when `op_delay` would overflow the stage budget); `expr` receives them in that cycle
  // and returns the Verilog expression of exactly `width` bits.
  Signal Op(std::vector<Signal> operands, double op_delay, int width, bool is_signed, int exponent,
            const std::string& prefix,
            const std::function<std::string(std::vector<Signal>&)>& expr);

  // Expressions (mark the bits they read).
  std::string Ext(const Signal& s, int width);          // sign/zero extension or low-bit slice
  std::string Bits(const Signal& s, int hi, int lo);    // a slice (constants: a literal)
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
  // 1-bit a < b (exact, any signedness/exponents).
  Signal Less(const Signal& a, const Signal& b);
  Signal IsPositive(const Signal& a);  // a > 0
  Signal IsNegative(const Signal& a);  // a < 0
  // a * b with b a constant raw (exponent b_exp), shift-and-add in canonical signed digits
  // (use_dsp false) or one multiplier (true). Exact unless `top` is given (see Add).
  Signal MulConst(const Signal& a, const BigInt& b, int b_exp, bool use_dsp, int top = kNoTop);
  // a * b for two signals (a DSP).
  Signal Mul(const Signal& a, const Signal& b);

  // Balanced sum of terms (exact, or modulo 2^top).
  Signal SumTree(std::vector<Signal> terms, int top = kNoTop);

  // A read of a ROM module (ports addr, data) at address `addr` (unsigned, addr_width bits).
  Signal Rom(const std::string& module, const Signal& addr, int addr_width, int width,
             bool is_signed, int exponent);

  // The valid strobe of pipeline cycle `cycle`: cycle 0 is `source` (set by SetValidSource, the
  // accepted-input strobe); later cycles are reset-cleared registers, created on demand.
  void SetValidSource(const std::string& source) { valid_ = {source}; }
  std::string Valid(int cycle);

  // What was built, for design.json and the README: constant products as DSP multipliers or as
  // shift-and-add, variable products (DSP), and adders/subtractors.
  struct Counts {
    int dsp_constant = 0, shift_add = 0, dsp_variable = 0, adders = 0;
  };
  const Counts& counts() const { return counts_; }

  // Registers every signal into one final cycle (the latest one given, plus one).
  std::vector<Signal> RegisterAll(const std::vector<Signal>& signals);

 private:
  Module& m_;
  double budget_;
  std::map<std::pair<std::string, int>, std::string> delayed_;  // (name, cycle) -> register
  std::vector<std::string> valid_;
  Counts counts_;
};

// Number of nonzero digits in the canonical signed-digit form of v, and the digits themselves
// (value = sum of sign * 2^shift).
struct CsdDigit {
  int shift;
  bool negative;
};
std::vector<CsdDigit> CsdDigits(const BigInt& v);

}  // namespace firmnet::verilog
