#include "firmnet/report/yosys_run.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "firmnet/io/subprocess.h"
#include "firmnet/report/yosys_log.h"

namespace firmnet::report {
namespace {

std::string ReadFrom(const std::string& path, std::streamoff offset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(offset);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string DuringPass(const std::string& pass) {
  return pass.empty() ? "" : " during pass '" + pass + "'";
}

}  // namespace

StatusOr<YosysRunResult> RunYosys(const YosysRunOptions& o) {
  const std::string log_path = o.work_dir + "/" + o.log;
  // Yosys runs in its own process group (io::Process), so a timeout or a Ctrl-C stops ABC too,
  // and the caller's staging directory is removed with no Yosys left running.
  io::ProcessOptions p;
  p.argv = {o.yosys, "-q", "-l", o.log, "-s", o.script};
  p.working_dir = o.work_dir;
  p.output = io::OutputMode::kDiscard;  // everything is in the log
  p.timeout_s = o.timeout_s;
  p.display_name = "yosys";
  p.missing_hint = "install the Debian package yosys";
  std::streamoff log_offset = 0;
  std::string pass;
  // The running pass, from what was appended to the log since the last look (the log of a large
  // design is big).
  auto update_pass = [&] {
    const std::string tail = ReadFrom(log_path, log_offset);
    const size_t last_nl = tail.rfind('\n');
    if (last_nl == std::string::npos) return;
    const std::string found = LastPassName(tail.substr(0, last_nl + 1));
    if (!found.empty()) pass = found;
    log_offset += static_cast<std::streamoff>(last_nl + 1);
  };
  if (o.progress) {
    p.tick_interval_s = o.progress_interval_s;
    p.on_tick = [&](double elapsed_s) {
      update_pass();
      o.progress(elapsed_s, pass);
    };
  }
  StatusOr<io::ProcessResult> ran = io::RunProcess(std::move(p));
  if (!ran.ok()) {
    const Status& s = ran.status();
    if (s.code() == StatusCode::kDeadlineExceeded) {
      update_pass();
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", o.timeout_s);
      return DeadlineExceeded(std::string("yosys did not finish within ") + buf +
                              " s (--timeout) and was stopped" + DuringPass(pass) +
                              "; raise --timeout, or synthesize a smaller design");
    }
    if (s.code() == StatusCode::kCancelled) {
      update_pass();
      return Cancelled("interrupted; yosys was stopped" + DuringPass(pass));
    }
    return s;
  }
  if (!ran->Succeeded()) {
    std::string msg = "yosys failed (" + ran->Describe() + ")";
    const std::vector<std::string> errors = ErrorLines(ReadFrom(log_path, 0));
    for (const std::string& e : errors) msg += "\n  " + e;
    if (errors.empty()) msg += "; see the end of its log";
    return InvalidArgument(msg);
  }
  YosysRunResult result;
  result.wall_s = ran->wall_s;
  return result;
}

}  // namespace firmnet::report
