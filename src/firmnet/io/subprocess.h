// Child processes: the one way firmnet runs external tools (g++ for C-simulation, Verilator and
// Icarus, Yosys).
//
// A child is started from an argv vector (no shell, so no quoting; argv[0] is looked up on PATH
// unless it names a path) in its own process group, so that a timeout or a Ctrl-C stops the
// tool and everything it started (make under Verilator, ABC under Yosys), and so that a Ctrl-C in
// the terminal reaches firmnet, not the tool. While children run, SIGINT and SIGTERM sent to
// firmnet stop them and their wait returns Cancelled; the previous handlers come back when the
// last child has been waited for (a signal that no wait reported is raised again then, so it is
// never lost).
//
// Errors (all name the program):
//   NotFound          the program does not exist ("cannot run 'X': not found on PATH")
//   DeadlineExceeded  the timeout ran out; the child's whole group was stopped
//   Cancelled         firmnet received SIGINT or SIGTERM; the child's whole group was stopped
//   IoError           anything else the operating system refused (fork, pipe, the log file...)
// A child that runs and fails is not an error here: the result says how it ended, and the caller
// decides what that means.
//
// A Process is used from one thread; several may run at once (csim compiles two translation
// units in parallel).
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "firmnet/common/status.h"

namespace firmnet::io {

// Where the child's stdout and stderr (both to the same place) go.
enum class OutputMode {
  kCapture,  // into ProcessResult::output
  kLogFile,  // into ProcessOptions::log_path (created or truncated)
  kDiscard,  // to /dev/null
  kInherit,  // firmnet's own stdout and stderr
};

struct ProcessOptions {
  std::vector<std::string> argv;  // argv[0]: a name looked up on PATH, or a path
  std::string working_dir;        // empty: firmnet's current directory
  OutputMode output = OutputMode::kCapture;
  std::string log_path;  // kLogFile; a relative path is relative to firmnet's directory
  size_t max_output_bytes = size_t{64} << 20;  // kCapture keeps this much, drops the rest
  // stdin from /dev/null. Otherwise the child shares firmnet's stdin; a child that then reads
  // from a terminal is stopped by the terminal (it is not in the foreground process group).
  bool stdin_null = true;
  double timeout_s = 0;  // 0: no limit
  double grace_s = 2;    // after SIGTERM, how long the group has before SIGKILL
  bool forward_signals = true;
  // Called about every tick_interval_s while the child runs, with the seconds since it started.
  std::function<void(double elapsed_s)> on_tick;
  double tick_interval_s = 1;
  // Names the program in messages (default: argv[0]); `missing_hint` is appended to the
  // not-found message, e.g. "install the Debian package yosys".
  std::string display_name;
  std::string missing_hint;
};

struct ProcessResult {
  bool exited = false;  // true: exit_code is valid; false: term_signal killed it
  int exit_code = -1;
  int term_signal = 0;
  double wall_s = 0;
  std::string output;  // kCapture: stdout and stderr, interleaved as written
  bool output_truncated = false;

  bool Succeeded() const { return exited && exit_code == 0; }
  // "exit status 2" or "killed by signal 11 (SIGSEGV)".
  std::string Describe() const;
};

class Process {
 public:
  // Starts the child; returns once it runs the program (or could not: NotFound, IoError).
  static StatusOr<std::unique_ptr<Process>> Start(ProcessOptions options);
  ~Process();  // a child still running is stopped (its whole group) and reaped
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Waits until the child exits, calling on_tick meanwhile. DeadlineExceeded or Cancelled when
  // the child had to be stopped. Call it once.
  StatusOr<ProcessResult> Wait();
  // Stops the child's whole group now (SIGTERM, then SIGKILL after grace_s) and reaps it.
  void Kill();

  pid_t Pid() const { return pid_; }
  const std::string& Name() const { return name_; }

 private:
  Process(ProcessOptions options, std::string name);

  // Reads whatever the capture pipe holds without blocking; at most `wait_ms` for the first
  // byte. False at end of file.
  bool Drain(int wait_ms);
  // Non-blocking reap; true when the child has ended (status_ is then set).
  bool Reap();
  void StopGroup();
  void Finish();  // releases the signal forwarding and the pipe

  ProcessOptions options_;
  std::string name_;
  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
  bool lost_ = false;
  bool finished_ = false;
  bool forwarding_ = false;
  int capture_fd_ = -1;
  double started_ = 0;  // monotonic seconds
  ProcessResult result_;
};

// Starts and waits: the common case.
StatusOr<ProcessResult> RunProcess(ProcessOptions options);

// The path that execvp would run for `program` (a name looked up on PATH, or a path that must
// be an executable file); nullopt when there is none.
std::optional<std::string> FindOnPath(const std::string& program);

}  // namespace firmnet::io
