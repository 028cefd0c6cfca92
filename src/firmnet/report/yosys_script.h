// The one Yosys script `firmnet synth` runs. It is written next to its outputs, so that a user
// can rerun it by hand (`cd DIR/synth && yosys -s synth.ys`) and get the same netlist.
#pragma once

#include <string>
#include <vector>

#include "firmnet/report/xilinx_part.h"

namespace firmnet::report {

struct SynthScriptOptions {
  XilinxFamily family = XilinxFamily::kXc7;
  std::string top;
  std::vector<std::string> sources;    // Verilog files, as the script names them (relative paths)
  std::string stat_file = "stat.txt";  // Yosys' own `stat -tech xilinx` listing
  std::string netlist_file = "netlist.json";  // the flat mapped netlist the report reads
};

// synth_xilinx in two parts, its `coarse` step written out between them without `alumacc`
// (docs/synth.md: Yosys 0.23's alumacc merges whole sums of constant products into one $macc
// cell, which ABC then maps into LUT trees ten times too large), and table ROMs kept as logic
// with their registers in place; flattened and out of context (no I/O or clock buffers).
std::string YosysSynthScript(const SynthScriptOptions& o);

}  // namespace firmnet::report
