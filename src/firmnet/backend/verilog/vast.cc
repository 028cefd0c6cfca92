#include "firmnet/backend/verilog/vast.h"

#include <algorithm>
#include <cctype>

#include "firmnet/common/check.h"

namespace firmnet::verilog {
namespace {

std::string Range(int width) { return width == 1 ? "" : "[" + std::to_string(width - 1) + ":0] "; }

// Hex digits of v mod 2^width (lowercase, at least one digit).
std::string HexDigits(const BigInt& v, int width) {
  const BigInt low = v.Truncate(width, /*sign_extend=*/false);
  std::string digits;
  const int n = (width + 3) / 4;
  for (int d = n - 1; d >= 0; --d) {
    int nibble = 0;
    for (int b = 0; b < 4; ++b) {
      const int bit = 4 * d + b;
      if (bit < width && low.Bit(bit)) nibble |= 1 << b;
    }
    digits.push_back("0123456789abcdef"[nibble]);
  }
  return digits;
}

}  // namespace

void IndentWriter::Line(std::string_view text) {
  if (!text.empty()) out_.append(2 * static_cast<size_t>(depth_), ' ');
  out_.append(text);
  out_.push_back('\n');
}

std::string Literal(const BigInt& v, int width) {
  FIRMNET_CHECK(width >= 1) << "literal of width " << width;
  return std::to_string(width) + "'sh" + HexDigits(v, width);
}

std::string UnsignedLiteral(uint64_t v, int width) {
  return std::to_string(width) + "'h" + HexDigits(BigInt::FromUnsigned(v), width);
}

void Module::AddPort(PortDir dir, const std::string& name, int width, bool is_reg) {
  FIRMNET_CHECK(!widths_.count(name)) << "duplicate port " << name;
  ports_.push_back({name, width, is_reg, true, dir});
  widths_[name] = width;
  // Outputs are read by the outside world; only inputs are checked for use.
  used_[name] = std::vector<bool>(width, dir == PortDir::kOutput);
}

std::string Module::Fresh(std::string_view prefix) {
  std::string p;
  for (char c : prefix) p.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  if (p.empty() || std::isdigit(static_cast<unsigned char>(p[0]))) p = "s" + p;
  const int n = fresh_counts_[p]++;
  return p + "_" + std::to_string(n);
}

void Module::DeclareWire(const std::string& name, int width) {
  FIRMNET_CHECK(!widths_.count(name)) << "duplicate signal " << name;
  decls_.push_back({name, width, false, false});
  widths_[name] = width;
  used_[name] = std::vector<bool>(width, false);
}

void Module::DeclareReg(const std::string& name, int width) {
  FIRMNET_CHECK(!widths_.count(name)) << "duplicate signal " << name;
  decls_.push_back({name, width, true, false});
  widths_[name] = width;
  used_[name] = std::vector<bool>(width, false);
}

int Module::WidthOf(const std::string& name) const {
  auto it = widths_.find(name);
  FIRMNET_CHECK(it != widths_.end()) << "unknown signal " << name;
  return it->second;
}

void Module::MarkUsed(const std::string& name, int hi, int lo) {
  auto it = used_.find(name);
  FIRMNET_CHECK(it != used_.end()) << "unknown signal " << name;
  FIRMNET_CHECK(lo >= 0 && hi < static_cast<int>(it->second.size()) && lo <= hi)
      << "bad slice " << name << "[" << hi << ":" << lo << "]";
  for (int i = lo; i <= hi; ++i) it->second[i] = true;
}

std::string Module::Ref(const std::string& name) {
  MarkUsed(name, WidthOf(name) - 1, 0);
  return name;
}

std::string Module::Slice(const std::string& name, int hi, int lo) {
  const int w = WidthOf(name);
  MarkUsed(name, hi, lo);
  if (lo == 0 && hi == w - 1) return name;
  if (w == 1) return name;
  if (hi == lo) return name + "[" + std::to_string(hi) + "]";
  return name + "[" + std::to_string(hi) + ":" + std::to_string(lo) + "]";
}

std::string Module::Bit(const std::string& name, int i) { return Slice(name, i, i); }

void Module::Assign(const std::string& lhs, const std::string& expr) {
  assigns_.push_back({lhs, expr});
}

void Module::Clocked(const std::string& lhs, const std::string& expr) {
  regs_.push_back({lhs, expr, "", false});
}

void Module::ClockedWithReset(const std::string& lhs, const std::string& expr,
                              const std::string& reset_value) {
  regs_.push_back({lhs, expr, reset_value, true});
}

void Module::Combinational(std::vector<std::string> lines) {
  combinational_.push_back(std::move(lines));
}

void Module::Instance(const std::string& module, const std::string& instance,
                      const std::vector<std::pair<std::string, std::string>>& connections) {
  instances_.push_back({module, instance, connections});
}

std::string Module::Print() const {
  IndentWriter w;
  w.Line("module " + name_ + " (");
  w.Indent();
  for (size_t i = 0; i < ports_.size(); ++i) {
    const Decl& p = ports_[i];
    std::string line =
        p.dir == PortDir::kInput ? "input wire " : (p.is_reg ? "output reg " : "output wire ");
    line += Range(p.width) + p.name + (i + 1 < ports_.size() ? "," : "");
    w.Line(line);
  }
  w.Dedent();
  w.Line(");");
  w.Indent();
  for (const Decl& d : decls_)
    w.Line((d.is_reg ? "reg " : "wire ") + Range(d.width) + d.name + ";");
  // Bits that no expression reads: one sink wire whose name Verilator's UNUSED check skips.
  std::vector<std::string> unused;
  auto collect = [&](const std::string& name) {
    const std::vector<bool>& u = used_.at(name);
    const int width = static_cast<int>(u.size());
    int i = 0;
    while (i < width) {
      if (u[i]) {
        ++i;
        continue;
      }
      int j = i;
      while (j + 1 < width && !u[j + 1]) ++j;
      if (width == 1) {
        unused.push_back(name);
      } else if (i == j) {
        unused.push_back(name + "[" + std::to_string(i) + "]");
      } else {
        unused.push_back(name + "[" + std::to_string(j) + ":" + std::to_string(i) + "]");
      }
      i = j + 1;
    }
  };
  for (const Decl& p : ports_) collect(p.name);
  for (const Decl& d : decls_) collect(d.name);
  if (!unused.empty()) {
    w.Line("// Bits no logic reads (dropped by synthesis); the sink keeps lint quiet.");
    w.Line("wire unused_bits;");
    // One line up to kPerLine bits; beyond, one line per part (Verilator refuses lines of more
    // than 40000 tokens, which a wide model's sink reaches).
    constexpr size_t kPerLine = 1000;
    if (unused.size() <= kPerLine) {
      std::string sink = "assign unused_bits = &{1'b0";
      for (const std::string& u : unused) sink += ", " + u;
      w.Line(sink + "};");
    } else {
      const size_t parts = (unused.size() + kPerLine - 1) / kPerLine;
      w.Line("wire [" + std::to_string(parts - 1) + ":0] unused_parts;");
      for (size_t k = 0; k < parts; ++k) {
        std::string sink = "assign unused_parts[" + std::to_string(k) + "] = &{1'b0";
        for (size_t i = k * kPerLine; i < std::min(unused.size(), (k + 1) * kPerLine); ++i) {
          sink += ", " + unused[i];
        }
        w.Line(sink + "};");
      }
      w.Line("assign unused_bits = &unused_parts;");
    }
  }
  for (const auto& [lhs, expr] : assigns_) w.Line("assign " + lhs + " = " + expr + ";");
  for (const Inst& inst : instances_) {
    w.Line(inst.module + " " + inst.instance + " (");
    w.Indent();
    for (size_t i = 0; i < inst.connections.size(); ++i) {
      w.Line("." + inst.connections[i].first + "(" + inst.connections[i].second + ")" +
             (i + 1 < inst.connections.size() ? "," : ""));
    }
    w.Dedent();
    w.Line(");");
  }
  for (const auto& block : combinational_) {
    w.Line("always @* begin");
    w.Indent();
    for (const std::string& l : block) w.Line(l);
    w.Dedent();
    w.Line("end");
  }
  bool any_plain = false, any_reset = false;
  for (const Reg& r : regs_) (r.with_reset ? any_reset : any_plain) = true;
  if (any_reset) {
    w.Line("always @(posedge clk) begin");
    w.Indent();
    w.Line("if (rst) begin");
    w.Indent();
    for (const Reg& r : regs_) {
      if (r.with_reset) w.Line(r.lhs + " <= " + r.reset_value + ";");
    }
    w.Dedent();
    w.Line("end else begin");
    w.Indent();
    for (const Reg& r : regs_) {
      if (r.with_reset) w.Line(r.lhs + " <= " + r.expr + ";");
    }
    w.Dedent();
    w.Line("end");
    w.Dedent();
    w.Line("end");
  }
  if (any_plain) {
    w.Line("always @(posedge clk) begin");
    w.Indent();
    for (const Reg& r : regs_) {
      if (!r.with_reset) w.Line(r.lhs + " <= " + r.expr + ";");
    }
    w.Dedent();
    w.Line("end");
  }
  w.Dedent();
  w.Line("endmodule");
  return w.str();
}

}  // namespace firmnet::verilog
