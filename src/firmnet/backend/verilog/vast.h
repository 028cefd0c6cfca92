// A small Verilog-2005 AST for the RTL generator: one module's ports, declarations, continuous
// assignments, clocked registers and instances, printed through an indenting writer.
//
// Why an AST and not text templates: every signal reference goes through the module, which
// records which bits of each declared signal are read. At print time the bits nobody reads are
// gathered into one `unused_*` sink (Verilator's documented idiom), so the generated RTL passes
// `verilator --lint-only -Wall` without per-line pragmas. Printing is deterministic: items come
// out in the order they were added.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "firmnet/fixed/fixed_value.h"

namespace firmnet::verilog {

// Lines with indentation; Verilog modules, READMEs and C++ harnesses are all written with it.
class IndentWriter {
 public:
  void Line(std::string_view text = "");
  void Indent() { ++depth_; }
  void Dedent() { --depth_; }
  const std::string& str() const { return out_; }

 private:
  std::string out_;
  int depth_ = 0;
};

// A sized hex literal of `v` taken modulo 2^width, e.g. Literal(-3, 8) == "8'shfd" (signed
// literals as the tooling notes ask: never a negated decimal).
std::string Literal(const BigInt& v, int width);
// Unsigned sized binary/hex literal for small non-negative values ("4'd3").
std::string UnsignedLiteral(uint64_t v, int width);

enum class PortDir { kInput, kOutput };

class Module {
 public:
  explicit Module(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }

  void AddPort(PortDir dir, const std::string& name, int width, bool is_reg = false);
  // A fresh, unique identifier starting with `prefix` (sanitized).
  std::string Fresh(std::string_view prefix);

  // Declarations. A wire is driven by Assign; a reg by a clocked or combinational block.
  void DeclareWire(const std::string& name, int width);
  void DeclareReg(const std::string& name, int width);
  int WidthOf(const std::string& name) const;

  // References that record which bits are read.
  std::string Ref(const std::string& name);                    // all bits
  std::string Slice(const std::string& name, int hi, int lo);  // name[hi:lo] (or name when full)
  std::string Bit(const std::string& name, int i);

  void Assign(const std::string& lhs, const std::string& expr);
  // `lhs <= expr` on every rising clock edge, no reset (datapath registers).
  void Clocked(const std::string& lhs, const std::string& expr);
  // `lhs <= reset ? reset_value : expr` on every rising clock edge (control registers).
  void ClockedWithReset(const std::string& lhs, const std::string& expr,
                        const std::string& reset_value);
  // A raw combinational block (e.g. a case statement), given as lines inside `always @*`.
  void Combinational(std::vector<std::string> lines);
  void Instance(const std::string& module, const std::string& instance,
                const std::vector<std::pair<std::string, std::string>>& connections);

  std::string Print() const;

 private:
  struct Decl {
    std::string name;
    int width;
    bool is_reg;
    bool is_port;
    PortDir dir = PortDir::kInput;
  };
  struct Reg {
    std::string lhs, expr, reset_value;
    bool with_reset;
  };
  struct Inst {
    std::string module, instance;
    std::vector<std::pair<std::string, std::string>> connections;
  };
  void MarkUsed(const std::string& name, int hi, int lo);

  std::string name_;
  std::vector<Decl> ports_;
  std::vector<Decl> decls_;
  std::map<std::string, std::vector<bool>> used_;
  std::map<std::string, int> widths_;
  std::vector<std::pair<std::string, std::string>> assigns_;
  std::vector<Reg> regs_;
  std::vector<std::vector<std::string>> combinational_;
  std::vector<Inst> instances_;
  std::map<std::string, int> fresh_counts_;
};

}  // namespace firmnet::verilog
