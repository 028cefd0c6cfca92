// Runs Yosys as a child process (io::Process) with a time limit, reporting progress from its log
// while it works. Full-network syntheses take minutes, so the user sees which pass is running and
// can bound the run with --timeout.
#pragma once

#include <functional>
#include <string>

#include "firmnet/common/status.h"

namespace firmnet::report {

struct YosysRunOptions {
  std::string yosys = "yosys";  // the executable, looked up on PATH
  std::string work_dir;         // Yosys runs here; the script and log names are relative to it
  std::string script = "synth.ys";
  std::string log = "yosys.log";
  double timeout_s = 0;  // 0: no limit
  double progress_interval_s = 5;
  // Called about every progress_interval_s with the seconds elapsed and the running pass.
  std::function<void(double elapsed_s, const std::string& pass)> progress;
};

struct YosysRunResult {
  double wall_s = 0;
};

// Errors: Yosys missing (NotFound), stopped at the timeout (DeadlineExceeded; the message names
// --timeout and the running pass), stopped because firmnet got SIGINT or SIGTERM (Cancelled), or
// exiting non-zero (InvalidArgument; the message carries Yosys' ERROR lines).
StatusOr<YosysRunResult> RunYosys(const YosysRunOptions& o);

}  // namespace firmnet::report
