// Progress of a long step on a terminal: one line on stderr, rewritten in place
// ("firmnet sim: verilator build, 12 s"), and erased when the step ends. When stderr is not a
// terminal (a pipe, a log file, a notebook) it prints nothing, so logs hold only results. The CLI
// and the Python module show their tool runs (C-simulation, simulators, Yosys) through it.
#pragma once

#include <string>

namespace firmnet::io {

class TerminalProgress {
 public:
  explicit TerminalProgress(std::string prefix);
  ~TerminalProgress();
  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;
  void Update(const std::string& what, double elapsed_s);
  // Erases the line (before the step's result or error is printed); Update may show it again.
  void Clear();

 private:
  std::string prefix_;
  bool enabled_;
  bool shown_ = false;
};

}  // namespace firmnet::io
