// The Verilog backend's entry point: a resolved graph to a complete RTL project (top module,
// ROM modules, README with the port map, design.json, and the Verilator/Icarus testbenches that
// `firmnet sim` builds).
//
// design.json is the machine-readable description that `firmnet sim` and `firmnet synth` read:
//   { "top": name, "files": [Verilog files], "model": the resolved IR file,
//     "part" (the config's Part, whose family gave the delay model), "clock_period_ns",
//     "latency": cycles, "ii": cycles, "handshake": bool (in_ready present),
//     "ports": {"in_data": bits, "out_data": bits},
//     "inputs": [{"name", "elements", "type", "width", "offset"}],
//     "outputs": [{"name", "elements", "type", "width", "offset"}],
//     "stage_budget_ns", "layers": [{"name", "cycle"}],
//     "arithmetic": {"dsp_constant", "shift_add", "dsp_variable", "lut_variable", "adders"} }
#pragma once

#include <map>
#include <string>
#include <vector>

#include "firmnet/backend/verilog/datapath.h"
#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"

namespace firmnet::verilog {

struct PortTensor {
  std::string name;
  int64_t elements = 0;
  FixedType type;
  int offset = 0;  // first bit in the port
};

struct DesignInfo {
  std::string top;
  std::string model_file;  // the resolved IR, relative to the project directory
  std::vector<std::string> verilog_files;
  std::string part;
  double clock_period_ns = 5;
  double stage_budget_ns = 4;
  int latency = 0;
  int ii = 1;
  bool handshake = false;
  int in_width = 0, out_width = 0;
  std::vector<PortTensor> inputs, outputs;
  ArithmeticCounts arithmetic;
  // Per layer, the pipeline cycle in which its last output is ready (README and design.json).
  std::vector<std::pair<std::string, int>> layer_cycles;
};

struct Project {
  DesignInfo info;
  std::map<std::string, std::string> files;  // relative path -> contents
};

// Builds the project for `graph` with top module `top` (a Verilog identifier). Errors name the
// layer that cannot be built.
StatusOr<Project> BuildProject(const ir::Graph& graph, const std::string& top);

std::string DesignJson(const DesignInfo& info);
StatusOr<DesignInfo> ParseDesignJson(const std::string& text, const std::string& path);

}  // namespace firmnet::verilog
