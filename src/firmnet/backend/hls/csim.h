// C-simulation of a generated HLS project with g++ and firmnet's own ap_fixed headers
// (hls/include): compile the top function and the testbench (-O2, in parallel), run the
// testbench, and report. Also runs the compiled project on any samples (`firmnet csim --input`).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "firmnet/common/status.h"

namespace firmnet::backend::hls {

struct CsimOptions {
  std::string project_dir;
  std::string hls_include;  // empty: DefaultHlsInclude()
  std::string cxx = "g++";
  // With input_path: run the project on these samples (.npy or text, as `predict` reads them)
  // and write its outputs to output_path (.npy or text, as `predict` writes them), instead of
  // running the testbench check.
  std::string input_path;
  std::string output_path;
  // Called about once a second while g++ or the testbench runs, with the step ("compile",
  // "link", "run") and the seconds since it started (the CLI shows it on a terminal).
  std::function<void(const std::string& step, double elapsed_s)> progress;
};

struct CsimResult {
  int64_t passed = 0;
  int64_t failed = 0;
  int64_t samples = 0;  // with input_path: samples run
  double compile_seconds = 0;
  double run_seconds = 0;
  std::string output;  // the testbench's stdout and stderr
};

// The hls/include directory in firmnet's data directory (common/data_dir.h: $FIRMNET_DATA_DIR,
// else ../share/firmnet beside the executable). NotFound, naming every path looked for, when
// it is missing.
StatusOr<std::string> DefaultHlsInclude();

// Compiles and runs. A compile error or a testbench that cannot run is an error (with the
// compiler's output); mismatches are reported in the result (failed > 0), not as an error.
StatusOr<CsimResult> RunCsim(const CsimOptions& options);

}  // namespace firmnet::backend::hls
