#include "firmnet/report/yosys_run.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "firmnet/report/yosys_log.h"

namespace firmnet::report {
namespace {

using Clock = std::chrono::steady_clock;

// Yosys runs in its own process group (so that a timeout can stop ABC too), which also keeps a
// Ctrl-C in the terminal from reaching it. While it runs, SIGINT/SIGTERM only raise this flag;
// the wait loop then stops Yosys and returns an error, so that the caller's staging directory
// is removed and no Yosys is left running.
volatile sig_atomic_t g_interrupted = 0;
extern "C" void OnInterrupt(int) { g_interrupted = 1; }

class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupted = 0;
    struct sigaction sa {};
    sa.sa_handler = OnInterrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~InterruptGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

std::string ReadFrom(const std::string& path, std::streamoff offset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(offset);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Kills the whole process group: Yosys runs ABC as a child process of its own.
void KillGroup(pid_t pid) {
  kill(-pid, SIGTERM);
  for (int i = 0; i < 20; ++i) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(-pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

std::string DuringPass(const std::string& pass) {
  return pass.empty() ? "" : " during pass '" + pass + "'";
}

}  // namespace

StatusOr<YosysRunResult> RunYosys(const YosysRunOptions& o) {
  const std::string log_path = o.work_dir + "/" + o.log;
  const auto start = Clock::now();
  InterruptGuard guard;
  const pid_t pid = fork();
  if (pid < 0) return IoError("cannot start yosys: fork failed");
  if (pid == 0) {
    setpgid(0, 0);
    if (chdir(o.work_dir.c_str()) != 0) _exit(126);
    const int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2(null, STDIN_FILENO);
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
    }
    execlp(o.yosys.c_str(), o.yosys.c_str(), "-q", "-l", o.log.c_str(), "-s", o.script.c_str(),
           static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid, pid);  // also here, so the group exists before any kill below

  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  std::streamoff log_offset = 0;
  std::string pass;
  double next_progress = o.progress_interval_s;
  int status = 0;
  while (true) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0) return IoError("lost track of the yosys process");
    const double t = elapsed();
    if (g_interrupted) {
      KillGroup(pid);
      return InvalidArgument("interrupted; yosys was stopped" + DuringPass(pass));
    }
    if (o.timeout_s > 0 && t >= o.timeout_s) {
      KillGroup(pid);
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", o.timeout_s);
      return InvalidArgument(std::string("yosys did not finish within ") + buf +
                             " s (--timeout) and was stopped" + DuringPass(pass) +
                             "; raise --timeout, or synthesize a smaller design");
    }
    if (o.progress && t >= next_progress) {
      // Read only what was appended since the last look: the log of a large design is big.
      const std::string tail = ReadFrom(log_path, log_offset);
      const size_t last_nl = tail.rfind('\n');
      if (last_nl != std::string::npos) {
        const std::string found = LastPassName(tail.substr(0, last_nl + 1));
        if (!found.empty()) pass = found;
        log_offset += static_cast<std::streamoff>(last_nl + 1);
      }
      o.progress(t, pass);
      next_progress = t + o.progress_interval_s;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  YosysRunResult result;
  result.wall_s = elapsed();
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    return NotFound("cannot run '" + o.yosys +
                    "': not found on PATH (install the Debian package yosys)");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string msg = "yosys failed";
    msg += WIFEXITED(status) ? " (exit status " + std::to_string(WEXITSTATUS(status)) + ")"
                             : " (killed by signal " + std::to_string(WTERMSIG(status)) + ")";
    const std::vector<std::string> errors = ErrorLines(ReadFrom(log_path, 0));
    for (const std::string& e : errors) msg += "\n  " + e;
    if (errors.empty()) msg += "; see the end of its log";
    return InvalidArgument(msg);
  }
  return result;
}

}  // namespace firmnet::report
