// C-simulation of a generated HLS project with g++ and firmnet's own ap_fixed headers
// (hls/include): compile the top function and the testbench (-O2, in parallel), run the
// testbench, and report. Also runs the compiled project on any samples (`firmnet csim --input`).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/emu/emulator.h"

namespace firmnet::backend::hls {

struct CsimOptions {
  std::string project_dir;
  std::string hls_include;  // empty: DefaultHlsInclude()
  std::string cxx = "g++";
  // Non-empty: run the project on these samples (one batch per project input, in the order of
  // CsimPorts::inputs, flattened samples as rows, all with the same rows) and return its outputs
  // in CsimResult::outputs, instead of running the testbench check.
  std::vector<emu::Batch> inputs;
  // Called about once a second while g++ or the testbench runs, with the step ("compile",
  // "link", "run") and the seconds since it started (the CLI shows it on a terminal).
  std::function<void(const std::string& step, double elapsed_s)> progress;
};

// One output of a run on samples (CsimOptions::inputs).
struct CsimOutput {
  emu::Batch values;                           // as doubles
  std::vector<std::vector<std::string>> text;  // the testbench's exact decimals, one row a sample
  bool exact_in_double = true;                 // every decimal equals its double
};

struct CsimResult {
  int64_t passed = 0;
  int64_t failed = 0;
  int64_t samples = 0;              // with inputs: samples run
  std::vector<CsimOutput> outputs;  // with inputs: one per project output, in CsimPorts order
  double compile_seconds = 0;
  double run_seconds = 0;
  std::string output;  // the testbench's stdout and stderr
};

// A project's inputs and outputs in the order its testbench takes them (IN... OUT...): the model's
// input and output node names and shapes, from tb_data/ports.json (GenerateHlsProject writes it).
struct CsimPort {
  std::string name;
  std::vector<int64_t> shape;
};
struct CsimPorts {
  std::vector<CsimPort> inputs, outputs;
};
// tb_data/ports.json as text (the project writer's side).
std::string WriteCsimPorts(const CsimPorts& ports);
// Reads DIR/tb_data/ports.json; a DIR that is not a project is an error as in RunCsim, and a
// missing or malformed file an error naming it (a project written before firmnet wrote it must
// be built again).
StatusOr<CsimPorts> ReadCsimPorts(const std::string& project_dir);

// The hls/include directory in firmnet's data directory (common/data_dir.h: $FIRMNET_DATA_DIR,
// else ../share/firmnet beside the executable). NotFound, naming every path looked for, when
// it is missing.
StatusOr<std::string> DefaultHlsInclude();

// Compiles and runs. A compile error or a testbench that cannot run is an error (with the
// compiler's output); mismatches are reported in the result (failed > 0), not as an error.
StatusOr<CsimResult> RunCsim(const CsimOptions& options);

}  // namespace firmnet::backend::hls
