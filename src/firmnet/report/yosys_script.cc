#include "firmnet/report/yosys_script.h"

namespace firmnet::report {
namespace {

// Yosys splits commands at blanks; a name with one is quoted.
std::string Arg(const std::string& s) {
  return s.find_first_of(" \t") == std::string::npos ? s : "\"" + s + "\"";
}

// Lines of the script; each step is one call, so the script reads top to bottom like the flow.
class Script {
 public:
  void Comment(const std::string& text) { text_ += "# " + text + "\n"; }
  void Command(const std::string& line) { text_ += line + "\n"; }
  void Blank() { text_ += "\n"; }
  const std::string& Text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace

std::string YosysSynthScript(const SynthScriptOptions& o) {
  const std::string synth = "synth_xilinx -family " + std::string(YosysFamilyName(o.family)) +
                            " -top " + Arg(o.top) + " -flatten -noiopad -noclkbuf";
  Script s;
  s.Comment("Written by `firmnet synth`; rerun from this directory with: yosys -s synth.ys");
  s.Comment(std::string("Family ") + YosysFamilyName(o.family) + " (" +
            FamilyDisplayName(o.family) + "), top module " + o.top + ".");
  for (const std::string& f : o.sources) s.Command("read_verilog -noautowire " + Arg(f));
  s.Blank();
  s.Comment("Part 1: everything up to and including DSP mapping.");
  s.Command(synth + " -run :coarse");
  s.Blank();
  s.Comment("The 'coarse' step by hand, without its `alumacc`: that pass merges whole sums (of");
  s.Comment(
      "constant products, of shift-and-add terms) into $macc cells, which ABC maps into huge");
  s.Comment(
      "LUT trees, and `maccmap -unmap` would re-associate their terms regardless of when they");
  s.Comment(
      "arrive. Left alone, each $add/$sub is mapped by itself (techmap wraps alumacc around one");
  s.Comment("cell at a time): one carry chain per adder of the RTL, in its order (docs/synth.md).");
  s.Command("techmap -map +/cmp2lut.v -map +/cmp2lcu.v -D LUT_WIDTH=6");
  s.Command("share");
  s.Command("opt");
  s.Comment("ROMs written as `case` statements (proc_rom: firmnet's table modules, read");
  s.Comment("combinationally inside a pipeline stage) keep their registers where the RTL has them");
  s.Comment(
      "and stay in LUTs, as the RTL generator's schedule assumes: merging the register in front");
  s.Comment(
      "of one into its read port would move it behind the ROM, and a block RAM would add its");
  s.Comment("clock-to-out. Other memories (arrays) get their registers merged and may become RAM.");
  s.Command("memory -nomap -nordff");
  s.Command("memory_dff t:$mem_v2 n:*proc_rom* %d");
  s.Command("setattr -set rom_style \"logic\" t:$mem_v2 n:*proc_rom* %i");
  s.Command("opt_clean");
  s.Blank();
  s.Comment("Part 2: memories, fine mapping, LUTs and flip-flops.");
  s.Command(synth + " -run map_memory:");
  s.Blank();
  s.Command("tee -q -o " + Arg(o.stat_file) + " stat -tech xilinx");
  s.Command("hierarchy -purge_lib");
  s.Command("write_json " + Arg(o.netlist_file));
  return s.Text();
}

}  // namespace firmnet::report
