// `firmnet synth` as a library call (the CLI and the Python module share it): finds a Verilog
// project's sources and part, writes DIR/synth/synth.ys, runs Yosys (synth_xilinx for the part's
// family) and builds the report from its netlist (DIR/synth/{yosys.log,stat.txt,netlist.json,
// report.json}).
#pragma once

#include <functional>
#include <string>

#include "firmnet/common/status.h"
#include "firmnet/report/synth_report.h"

namespace firmnet::report {

struct SynthFlowOptions {
  std::string project_dir;  // written by `firmnet build --backend verilog`
  std::string part;         // empty: the config's Part, from design.json
  std::string top;          // empty: design.json, else the one module no other instantiates
  double timeout_s = 0;     // 0: no limit
  std::string yosys = "yosys";
  // Called when Yosys starts (part, family, top, number of sources) and about every second
  // while it runs (seconds elapsed, running pass).
  std::function<void(const std::string& what)> started;
  std::function<void(double elapsed_s, const std::string& pass)> progress;
};

struct SynthFlowResult {
  SynthReport report;   // yosys_wall_s and target_period_ns filled in
  std::string out_dir;  // project_dir/synth
};

// Errors name the project directory (no sources, no part), the part (unknown family), or carry
// Yosys' own failure (RunYosys).
StatusOr<SynthFlowResult> RunSynthFlow(const SynthFlowOptions& o);

}  // namespace firmnet::report
