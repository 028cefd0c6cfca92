#include "firmnet/io/subprocess.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <utility>

namespace firmnet::io {
namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string SignalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

// --- Signal forwarding -----------------------------------------------------------------------
// While at least one child with forward_signals runs, SIGINT and SIGTERM only set g_signal; the
// wait loops see it, stop their children and return Cancelled. The children run in their own
// process groups, so a Ctrl-C in the terminal reaches firmnet alone.

volatile sig_atomic_t g_signal = 0;
extern "C" void OnStopSignal(int sig) { g_signal = sig; }

struct Forwarding {
  std::mutex mu;
  int users = 0;
  bool reported = false;  // a Wait returned Cancelled for the signal in g_signal
  struct sigaction old_int {};
  struct sigaction old_term {};
};

Forwarding& TheForwarding() {
  static Forwarding* f = new Forwarding();  // never destroyed: children may outlive statics
  return *f;
}

void AcquireForwarding() {
  Forwarding& f = TheForwarding();
  const std::lock_guard<std::mutex> lock(f.mu);
  if (f.users++ > 0) return;
  g_signal = 0;
  f.reported = false;
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a wait in poll() wakes at once
  sigaction(SIGINT, &sa, &f.old_int);
  sigaction(SIGTERM, &sa, &f.old_term);
}

void ReleaseForwarding() {
  Forwarding& f = TheForwarding();
  int pending = 0;
  {
    const std::lock_guard<std::mutex> lock(f.mu);
    if (--f.users > 0) return;
    sigaction(SIGINT, &f.old_int, nullptr);
    sigaction(SIGTERM, &f.old_term, nullptr);
    if (g_signal != 0 && !f.reported) pending = g_signal;
    g_signal = 0;
  }
  // A signal that arrived while no wait was looking (the child had just ended) goes to the
  // handler it was meant for.
  if (pending != 0) raise(pending);
}

void MarkReported() {
  Forwarding& f = TheForwarding();
  const std::lock_guard<std::mutex> lock(f.mu);
  f.reported = true;
}

// --- Starting a child ------------------------------------------------------------------------

// What the child writes to the close-on-exec report pipe when it cannot run the program.
struct ChildFailure {
  int stage;  // kStageChdir or kStageExec
  int error;  // errno
};
constexpr int kStageChdir = 1;
constexpr int kStageExec = 2;

// A file descriptor closed on scope exit.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int Get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }
  void Reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// In the child, after fork: only async-signal-safe calls from here to exec.
void MoveFd(int fd, int target) {
  if (fd == target) {
    fcntl(fd, F_SETFD, 0);  // keep it across exec
  } else {
    dup2(fd, target);
  }
}

[[noreturn]] void ChildFail(int report_fd, int stage) {
  const ChildFailure failure{stage, errno};
  ssize_t unused = write(report_fd, &failure, sizeof failure);
  (void)unused;
  _exit(127);
}

std::string WithHint(std::string message, const std::string& hint) {
  if (!hint.empty()) message += " (" + hint + ")";
  return message;
}

// Whether any process of group `pgid` still runs. A zombie does not count: once its parent has
// died it waits for init to reap it, which some container inits do late or never.
bool GroupRuns(pid_t pgid) {
  if (kill(-pgid, 0) != 0 && errno == ESRCH) return false;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return true;  // cannot tell: let the grace period run out
  bool runs = false;
  while (const dirent* e = readdir(proc)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    std::ifstream in(std::string("/proc/") + e->d_name + "/stat");
    std::string stat;
    if (!std::getline(in, stat)) continue;
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    const size_t paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream fields(stat.substr(paren + 1));
    char state = 0;
    long long ppid = 0, pgrp = 0;
    if (!(fields >> state >> ppid >> pgrp)) continue;
    if (pgrp == pgid && state != 'Z' && state != 'X') {
      runs = true;
      break;
    }
  }
  closedir(proc);
  return runs;
}

bool IsExecutableFile(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::string ProcessResult::Describe() const {
  if (exited) return "exit status " + std::to_string(exit_code);
  return "killed by signal " + std::to_string(term_signal) + " (" + SignalName(term_signal) + ")";
}

std::optional<std::string> FindOnPath(const std::string& program) {
  if (program.empty()) return std::nullopt;
  if (program.find('/') != std::string::npos) {
    if (IsExecutableFile(program)) return program;
    return std::nullopt;
  }
  const char* env = std::getenv("PATH");
  // execvp's own default when PATH is unset.
  std::stringstream path(env != nullptr ? env : "/bin:/usr/bin");
  std::string dir;
  while (std::getline(path, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (IsExecutableFile(candidate)) return candidate;
  }
  return std::nullopt;
}

Process::Process(ProcessOptions options, std::string name)
    : options_(std::move(options)), name_(std::move(name)) {}

StatusOr<std::unique_ptr<Process>> Process::Start(ProcessOptions options) {
  if (options.argv.empty() || options.argv[0].empty()) {
    return Internal("cannot start a child process: the argument list is empty");
  }
  std::string name = options.display_name.empty() ? options.argv[0] : options.display_name;
  std::unique_ptr<Process> p(new Process(std::move(options), std::move(name)));
  const ProcessOptions& o = p->options_;
  const std::string& program = o.argv[0];

  // Everything that can fail is opened here, before fork, so that the error names the file.
  Fd in, out, capture, report_read, report_write;
  if (o.stdin_null) {
    in.Reset(open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (in.Get() < 0) return IoError("cannot run '" + program + "': cannot open /dev/null");
  }
  switch (o.output) {
    case OutputMode::kCapture: {
      int fds[2];
      if (pipe2(fds, O_CLOEXEC) != 0) {
        return IoError("cannot run '" + program + "': pipe: " + std::strerror(errno));
      }
      capture.Reset(fds[0]);
      out.Reset(fds[1]);
      fcntl(capture.Get(), F_SETFL, fcntl(capture.Get(), F_GETFL) | O_NONBLOCK);
      break;
    }
    case OutputMode::kLogFile:
      out.Reset(open(o.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
      if (out.Get() < 0) {
        return IoError(o.log_path + ": cannot write the log of '" + program +
                       "': " + std::strerror(errno));
      }
      break;
    case OutputMode::kDiscard:
      out.Reset(open("/dev/null", O_WRONLY | O_CLOEXEC));
      if (out.Get() < 0) return IoError("cannot run '" + program + "': cannot open /dev/null");
      break;
    case OutputMode::kInherit:
      break;
  }
  {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      return IoError("cannot run '" + program + "': pipe: " + std::strerror(errno));
    }
    report_read.Reset(fds[0]);
    report_write.Reset(fds[1]);
  }
  std::vector<char*> args;
  args.reserve(o.argv.size() + 1);
  for (const std::string& a : o.argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const char* cwd = o.working_dir.empty() ? nullptr : o.working_dir.c_str();

  if (o.forward_signals) {
    AcquireForwarding();
    p->forwarding_ = true;
  }
  p->started_ = Now();
  const pid_t pid = fork();
  if (pid < 0) {
    const int err = errno;
    p->Finish();
    return IoError("cannot run '" + program + "': fork: " + std::strerror(err));
  }
  if (pid == 0) {
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    if (in.Get() >= 0) MoveFd(in.Get(), STDIN_FILENO);
    if (out.Get() >= 0) {
      MoveFd(out.Get(), STDOUT_FILENO);
      MoveFd(out.Get(), STDERR_FILENO);
    }
    if (cwd != nullptr && chdir(cwd) != 0) ChildFail(report_write.Get(), kStageChdir);
    execvp(args[0], args.data());
    ChildFail(report_write.Get(), kStageExec);
  }
  // Also here: the group exists before Wait could signal it. (EACCES once the child has
  // exec'd: it made the group itself.)
  setpgid(pid, pid);
  p->pid_ = pid;
  report_write.Reset();
  in.Reset();
  out.Reset();
  p->capture_fd_ = capture.Release();

  // The report pipe closes without a byte when exec succeeded.
  ChildFailure failure{};
  ssize_t n;
  do {
    n = read(report_read.Get(), &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return p;

  while (waitpid(pid, &p->status_, 0) < 0 && errno == EINTR) {
  }
  p->reaped_ = true;
  p->Finish();
  const std::string error = std::strerror(failure.error);
  if (failure.stage == kStageChdir) {
    const std::string msg =
        "cannot run '" + program + "' in '" + o.working_dir + "': " + std::strerror(failure.error);
    return failure.error == ENOENT ? NotFound(msg) : IoError(msg);
  }
  if (failure.error == ENOENT) {
    const bool is_path = program.find('/') != std::string::npos;
    return NotFound(WithHint(
        "cannot run '" + program + "': " + (is_path ? "no such file" : "not found on PATH"),
        o.missing_hint));
  }
  if (failure.error == EACCES) {
    return InvalidArgument("cannot run '" + program + "': permission denied (not an executable)");
  }
  return IoError("cannot run '" + program + "': " + error);
}

Process::~Process() {
  if (pid_ > 0 && !reaped_) StopGroup();
  Finish();
}

bool Process::Reap() {
  if (reaped_) return true;
  while (true) {
    const pid_t r = waitpid(pid_, &status_, WNOHANG);
    if (r == pid_) break;
    if (r == 0) return false;
    if (errno == EINTR) continue;
    lost_ = true;  // ECHILD: something else reaped it (SIGCHLD ignored?)
    break;
  }
  reaped_ = true;
  result_.wall_s = Now() - started_;
  return true;
}

bool Process::Drain(int wait_ms) {
  if (capture_fd_ < 0) return false;
  if (wait_ms > 0) {
    pollfd pfd{capture_fd_, POLLIN, 0};
    poll(&pfd, 1, wait_ms);
  }
  char buf[65536];
  while (true) {
    const ssize_t n = read(capture_fd_, buf, sizeof buf);
    if (n > 0) {
      std::string& out = result_.output;
      const size_t room =
          options_.max_output_bytes - std::min(out.size(), options_.max_output_bytes);
      const size_t keep = std::min(room, static_cast<size_t>(n));
      out.append(buf, keep);
      if (keep < static_cast<size_t>(n)) result_.output_truncated = true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    close(capture_fd_);  // end of file (or an error: nothing more will come)
    capture_fd_ = -1;
    return false;
  }
}

void Process::StopGroup() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGTERM);
  const double deadline = Now() + options_.grace_s;
  while (Now() < deadline) {
    Reap();
    // Done when the leader is reaped and nothing is left running in its group.
    if (reaped_ && !GroupRuns(pid_)) return;
    if (!Drain(10)) poll(nullptr, 0, 10);
  }
  kill(-pid_, SIGKILL);
  if (!reaped_) {
    while (waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    result_.wall_s = Now() - started_;
  }
}

void Process::Kill() {
  if (!reaped_) StopGroup();
  Finish();
}

void Process::Finish() {
  if (finished_) return;
  finished_ = true;
  if (capture_fd_ >= 0) {
    close(capture_fd_);
    capture_fd_ = -1;
  }
  if (forwarding_) {
    forwarding_ = false;
    ReleaseForwarding();
  }
}

StatusOr<ProcessResult> Process::Wait() {
  double next_tick = options_.tick_interval_s;
  int sleep_ms = 1;  // short children come back at once; long ones are polled every 50 ms
  while (!Reap()) {
    if (forwarding_ && g_signal != 0) {
      const int sig = g_signal;
      StopGroup();
      MarkReported();
      Finish();
      return Cancelled(name_ + " was stopped: firmnet received " + SignalName(sig));
    }
    const double t = Now() - started_;
    if (options_.timeout_s > 0 && t >= options_.timeout_s) {
      StopGroup();
      Finish();
      return DeadlineExceeded(name_ + " did not finish within " + Seconds(options_.timeout_s) +
                              " s and was stopped");
    }
    if (options_.on_tick && t >= next_tick) {
      options_.on_tick(t);
      next_tick = t + options_.tick_interval_s;
    }
    if (!Drain(sleep_ms)) poll(nullptr, 0, sleep_ms);
    sleep_ms = std::min(sleep_ms * 2, 50);
  }
  // What the child wrote before it ended is all in the pipe; a grandchild that still holds the
  // pipe open is not waited for.
  Drain(0);
  Finish();
  if (lost_) return IoError("lost track of the child process '" + name_ + "'");
  result_.exited = WIFEXITED(status_);
  result_.exit_code = result_.exited ? WEXITSTATUS(status_) : -1;
  result_.term_signal = WIFSIGNALED(status_) ? WTERMSIG(status_) : 0;
  return std::move(result_);
}

StatusOr<ProcessResult> RunProcess(ProcessOptions options) {
  FIRMNET_ASSIGN_OR_RETURN(std::unique_ptr<Process> p, Process::Start(std::move(options)));
  return p->Wait();
}

}  // namespace firmnet::io
