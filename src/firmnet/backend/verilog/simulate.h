// `firmnet sim`: builds a generated project's testbench with Verilator or Icarus, streams
// samples through the RTL, and compares every output with the emulator bit for bit.
//
// The project directory holds the resolved model (design.json names it: ProjectModelPath); the
// caller loads it (the CLI through driver::LoadResolvedGraph) and passes the graph, so that the
// emulator that produces the expected outputs is the very graph the RTL was generated from and
// the backend needs no model importers. Inputs are quantized with the input layer's type by
// QuantizeDouble, exactly as the emulator does. Build artefacts go to DIR/sim_build/<simulator>/
// (scratch; a Verilator build is reused while the Verilog sources and the harness are
// unchanged). The tools run through io::Process.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/emu/emulator.h"
#include "firmnet/ir/graph.h"

namespace firmnet::verilog {

struct SimOptions {
  std::string dir;
  std::string simulator = "verilator";  // or "icarus"
  // Called about once a second while a tool runs, with the step ("verilator build", ...) and the
  // seconds since that step started (the CLI shows it on a terminal).
  std::function<void(const std::string& step, double elapsed_s)> progress;
};

struct SimResult {
  int64_t passed = 0;
  int64_t failed = 0;
  std::string first_mismatch;  // "sample 3, output 'y' element 1: rtl 0x.. emulator 0x.."
  int latency = 0;             // cycles from acceptance to out_valid (measured, all samples)
  int ii = 0;                  // smallest measured distance between accepted samples
  double build_seconds = 0;
  bool build_cached = false;  // the previous Verilator build of the same sources was reused
  double run_seconds = 0;
  emu::Batch outputs;                   // simulated outputs as values (all outputs, concatenated)
  std::vector<BigInt> raw_outputs;      // and their raw integers
  std::vector<FixedType> output_types;  // per column
};

// The resolved model file that DIR's design.json names, as an absolute path. NotFound when DIR
// is not a project written by `firmnet build --backend verilog`.
StatusOr<std::string> ProjectModelPath(const std::string& dir);

// Simulates `inputs` and compares every output with the emulator running `graph`, the resolved
// graph the project was built from (load ProjectModelPath(options.dir)).
StatusOr<SimResult> Simulate(const SimOptions& options, const ir::Graph& graph,
                             const emu::Batch& inputs);

// Runs `verilator --lint-only -Wall` on the project's Verilog files; an error quotes the
// warnings. The generated RTL is meant to be free of every warning.
Status Lint(const std::string& dir);

}  // namespace firmnet::verilog
