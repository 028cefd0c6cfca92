// What `firmnet synth DIR` synthesizes: the Verilog sources of a generated project directory and
// its top module. The Verilog backend writes DIR/design.json ({"top": NAME, "files": [...]}, as the
// Verilog backend writes it); without it, every DIR/*.v and DIR/rtl/*.v is read (testbenches
// excluded) and the top is the one module that no other module instantiates.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "firmnet/common/status.h"

namespace firmnet::report {

struct SynthInputs {
  std::string top;
  std::vector<std::string> sources;  // relative to the project directory, sorted
  double clock_period_ns = 0;        // design.json's target clock; 0: not given
  std::string part;                  // design.json's part (the config's Part); empty: not given
};

// `top_override` (from --top) wins over design.json and the scan.
StatusOr<SynthInputs> FindSynthInputs(const std::string& dir, const std::string& top_override);

// Module names defined in Verilog text, and the top candidates: defined modules that no module
// in `files` instantiates. `files` holds (file name, text) pairs; the names go into messages.
struct VerilogModules {
  std::vector<std::string> defined;     // in order of appearance
  std::vector<std::string> candidates;  // defined and never instantiated, in order
};
VerilogModules ScanVerilogModules(const std::vector<std::pair<std::string, std::string>>& files);

// True for names a testbench usually has (tb_*.v, *_tb.v, testbench*.v), which synthesis skips.
bool IsTestbenchFile(const std::string& file_name);

}  // namespace firmnet::report
