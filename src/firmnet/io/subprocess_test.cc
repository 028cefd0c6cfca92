#include "firmnet/io/subprocess.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace firmnet::io {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

::testing::AssertionResult Contains(const char* haystack_expr, const char* needle_expr,
                                    const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << haystack_expr << " does not contain " << needle_expr
                                       << "\n  actual: " << haystack << "\n  wanted: " << needle;
}
#define EXPECT_CONTAINS(haystack, needle) EXPECT_PRED_FORMAT2(Contains, haystack, needle)

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// True once `pid` no longer runs (it is gone, or a zombie that its new parent has yet to reap);
// waits up to two seconds for the kernel to finish the kill.
bool ProcessGone(pid_t pid) {
  for (int i = 0; i < 200; ++i) {
    if (kill(pid, 0) != 0 && errno == ESRCH) return true;
    const std::string stat = ReadText("/proc/" + std::to_string(pid) + "/stat");
    const size_t paren = stat.rfind(')');
    if (paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z') {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

ProcessOptions Shell(const std::string& script) {
  ProcessOptions o;
  o.argv = {"sh", "-c", script};
  return o;
}

class SubprocessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("firmnet_subprocess_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(SubprocessTest, ExitCodes) {
  auto ok = RunProcess(Shell("exit 0"));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_TRUE(ok->Succeeded());
  EXPECT_EQ(ok->Describe(), "exit status 0");
  EXPECT_GE(ok->wall_s, 0.0);

  auto three = RunProcess(Shell("exit 3"));
  ASSERT_TRUE(three.ok()) << three.status().ToString();
  EXPECT_TRUE(three->exited);
  EXPECT_EQ(three->exit_code, 3);
  EXPECT_FALSE(three->Succeeded());
  EXPECT_EQ(three->Describe(), "exit status 3");

  // 127 from a program that ran is an exit status, not a missing program.
  auto r127 = RunProcess(Shell("exit 127"));
  ASSERT_TRUE(r127.ok()) << r127.status().ToString();
  EXPECT_EQ(r127->exit_code, 127);
}

TEST_F(SubprocessTest, KilledBySignal) {
  auto r = RunProcess(Shell("kill -SEGV $$"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->exited);
  EXPECT_EQ(r->term_signal, SIGSEGV);
  EXPECT_FALSE(r->Succeeded());
  EXPECT_EQ(r->Describe(), "killed by signal 11 (SIGSEGV)");
}

TEST_F(SubprocessTest, CapturesStdoutAndStderrWithoutAShell) {
  // An argument with spaces and quotes arrives as it is: no shell in between.
  ProcessOptions o;
  o.argv = {"sh", "-c", "printf '%s|' \"$@\"; echo err >&2", "sh", "a b", "it's", "$HOME"};
  auto r = RunProcess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->output, "a b|it's|$HOME|err\n");
  EXPECT_FALSE(r->output_truncated);
}

TEST_F(SubprocessTest, CapturesMoreThanAPipeHolds) {
  auto r = RunProcess(Shell("head -c 1000000 /dev/zero"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->output.size(), 1000000u);

  ProcessOptions o = Shell("head -c 100000 /dev/zero; exit 4");
  o.max_output_bytes = 1000;
  r = RunProcess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->output.size(), 1000u);
  EXPECT_TRUE(r->output_truncated);
  EXPECT_EQ(r->exit_code, 4) << "the child is not blocked once the limit is reached";
}

TEST_F(SubprocessTest, LogFileAndDiscard) {
  ProcessOptions o = Shell("echo to-log; echo also-stderr >&2");
  o.output = OutputMode::kLogFile;
  o.log_path = (dir_ / "run.log").string();
  auto r = RunProcess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ReadText(dir_ / "run.log"), "to-log\nalso-stderr\n");
  EXPECT_EQ(r->output, "");

  o.log_path = (dir_ / "no-such-dir" / "run.log").string();
  r = RunProcess(o);
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_CONTAINS(r.status().message(), o.log_path);

  o.output = OutputMode::kDiscard;
  r = RunProcess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->output, "");
}

TEST_F(SubprocessTest, WorkingDirectoryAndStdin) {
  ProcessOptions o;
  o.argv = {"pwd", "-P"};
  o.working_dir = dir_.string();
  auto r = RunProcess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->output, fs::canonical(dir_).string() + "\n");

  // A relative program path is relative to the working directory.
  std::ofstream(dir_ / "tool.sh") << "#!/bin/sh\necho tool ran in \"$(basename \"$PWD\")\"\n";
  fs::permissions(dir_ / "tool.sh", fs::perms::owner_all);
  o.argv = {"./tool.sh"};
  r = RunProcess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->output, "tool ran in " + dir_.filename().string() + "\n");

  o.argv = {"true"};
  o.working_dir = (dir_ / "missing").string();
  r = RunProcess(o);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_CONTAINS(r.status().message(), "cannot run 'true' in '" + o.working_dir + "'");

  // stdin is /dev/null: cat ends at once instead of waiting for a terminal.
  o = Shell("cat; echo end");
  o.timeout_s = 5;
  r = RunProcess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->output, "end\n");
}

TEST_F(SubprocessTest, MissingProgramIsNotFoundNamingIt) {
  ProcessOptions o;
  o.argv = {"firmnet-no-such-program", "--version"};
  o.missing_hint = "install the Debian package firmnet-tools";
  auto r = RunProcess(o);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(),
            "cannot run 'firmnet-no-such-program': not found on PATH (install the Debian package "
            "firmnet-tools)");

  o.argv = {(dir_ / "no-such-tool").string()};
  o.missing_hint.clear();
  r = RunProcess(o);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "cannot run '" + o.argv[0] + "': no such file");

  // A file that is not executable.
  std::ofstream(dir_ / "plain.txt") << "text\n";
  o.argv = {(dir_ / "plain.txt").string()};
  r = RunProcess(o);
  EXPECT_FALSE(r.ok());
  EXPECT_CONTAINS(r.status().message(), "cannot run '" + o.argv[0] + "': permission denied");

  EXPECT_TRUE(FindOnPath("sh").has_value());
  EXPECT_EQ(FindOnPath("/bin/sh"), std::optional<std::string>("/bin/sh"));
  EXPECT_FALSE(FindOnPath("firmnet-no-such-program").has_value());
  EXPECT_FALSE(FindOnPath((dir_ / "plain.txt").string()).has_value());
}

TEST_F(SubprocessTest, TimeoutStopsTheWholeGroup) {
  const fs::path grandchild = dir_ / "grandchild.pid";
  ProcessOptions o = Shell("sleep 30 & echo $! > " + grandchild.string() + "; wait");
  o.timeout_s = 0.3;
  o.grace_s = 1;
  o.display_name = "sleeper";
  const auto start = Clock::now();
  auto p = Process::Start(o);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  const pid_t child = (*p)->Pid();
  auto r = (*p)->Wait();
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(r.status().message(), "sleeper did not finish within 0.3 s and was stopped");
  EXPECT_TRUE(ProcessGone(child));
  const pid_t sleeper = std::atoi(ReadText(grandchild).c_str());
  ASSERT_GT(sleeper, 0);
  EXPECT_TRUE(ProcessGone(sleeper)) << "the grandchild survived the timeout";
}

TEST_F(SubprocessTest, TimeoutEscalatesToSigkill) {
  const fs::path grandchild = dir_ / "grandchild.pid";
  // Both ignore SIGTERM.
  ProcessOptions o =
      Shell("trap '' TERM; sleep 30 & echo $! > " + grandchild.string() + "; wait; wait");
  o.timeout_s = 0.2;
  o.grace_s = 0.2;
  const auto start = Clock::now();
  auto r = RunProcess(o);
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
  const pid_t sleeper = std::atoi(ReadText(grandchild).c_str());
  ASSERT_GT(sleeper, 0);
  EXPECT_TRUE(ProcessGone(sleeper));
}

TEST_F(SubprocessTest, DoesNotWaitForAGrandchildHoldingTheOutput) {
  auto p = Process::Start(Shell("sleep 5 & echo done"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  const auto start = Clock::now();
  auto r = (*p)->Wait();
  EXPECT_LT(SecondsSince(start), 2.0);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->output, "done\n");
  kill(-(*p)->Pid(), SIGKILL);  // the sleep left behind, in the child's group
}

TEST_F(SubprocessTest, ParallelChildren) {
  std::vector<std::unique_ptr<Process>> children;
  const auto start = Clock::now();
  for (int k = 0; k < 3; ++k) {
    ProcessOptions o = Shell("sleep 0.4; echo child " + std::to_string(k));
    o.output = k == 2 ? OutputMode::kLogFile : OutputMode::kCapture;
    o.log_path = (dir_ / "child2.log").string();
    auto p = Process::Start(o);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    children.push_back(std::move(*p));
  }
  for (int k = 0; k < 3; ++k) {
    auto r = children[k]->Wait();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->Succeeded());
    const std::string want = "child " + std::to_string(k) + "\n";
    EXPECT_EQ(k == 2 ? ReadText(dir_ / "child2.log") : r->output, want);
  }
  EXPECT_LT(SecondsSince(start), 1.1) << "the children did not run at the same time";
}

TEST_F(SubprocessTest, DestructorStopsARunningChild) {
  pid_t pid = 0;
  {
    auto p = Process::Start(Shell("sleep 30"));
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    pid = (*p)->Pid();
  }
  EXPECT_TRUE(ProcessGone(pid));
}

TEST_F(SubprocessTest, TickCallbackRunsWhileTheChildRuns) {
  ProcessOptions o = Shell("sleep 0.4");
  std::vector<double> ticks;
  o.tick_interval_s = 0.05;
  o.on_tick = [&](double t) { ticks.push_back(t); };
  auto r = RunProcess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GE(ticks.size(), 3u);
  for (size_t k = 1; k < ticks.size(); ++k) EXPECT_GT(ticks[k], ticks[k - 1]);
  if (!ticks.empty()) {
    EXPECT_GE(ticks.front(), 0.05);
    EXPECT_LE(ticks.back(), r->wall_s);
  }
}

TEST_F(SubprocessTest, SignalToFirmnetCancelsAndRestoresHandlers) {
  for (int sig : {SIGINT, SIGTERM}) {
    struct sigaction before {};
    sigaction(sig, nullptr, &before);
    const fs::path grandchild = dir_ / "grandchild.pid";
    ProcessOptions o = Shell("sleep 30 & echo $! > " + grandchild.string() + "; wait");
    o.tick_interval_s = 0.1;
    bool sent = false;
    o.on_tick = [&](double) {
      if (!sent && fs::exists(grandchild)) {
        sent = true;
        kill(getpid(), sig);  // as a Ctrl-C or a `kill` would
      }
    };
    o.grace_s = 1;
    o.display_name = "sleeper";
    const auto start = Clock::now();
    auto r = RunProcess(o);
    EXPECT_LT(SecondsSince(start), 3.0);
    EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
    EXPECT_EQ(r.status().message(), std::string("sleeper was stopped: firmnet received ") +
                                        (sig == SIGINT ? "SIGINT" : "SIGTERM"));
    const pid_t sleeper = std::atoi(ReadText(grandchild).c_str());
    ASSERT_GT(sleeper, 0);
    EXPECT_TRUE(ProcessGone(sleeper));
    struct sigaction after {};
    sigaction(sig, nullptr, &after);
    EXPECT_EQ(after.sa_handler, before.sa_handler) << "handler not restored";
    fs::remove(grandchild);
  }
}

}  // namespace
}  // namespace firmnet::io
