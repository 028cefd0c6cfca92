#include "firmnet/backend/hls/csim.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <vector>

#include "firmnet/backend/hls/project.h"
#include "firmnet/common/data_dir.h"
#include "firmnet/io/samples.h"
#include "firmnet/io/subprocess.h"

namespace firmnet::backend::hls {
namespace fs = std::filesystem;
namespace {

// Runs argv in `dir` with stdout and stderr going to `log`; the child starts at once (Wait it).
using Progress = std::function<void(const std::string&, double)>;

// `progress` (optional) hears about the child once a second while it is waited for, as `step`.
StatusOr<std::unique_ptr<io::Process>> Spawn(const std::vector<std::string>& argv,
                                             const fs::path& dir, const fs::path& log,
                                             const Progress& progress = nullptr,
                                             const std::string& step = "") {
  io::ProcessOptions p;
  p.argv = argv;
  p.working_dir = dir.string();
  p.output = io::OutputMode::kLogFile;
  p.log_path = log.string();
  if (progress) p.on_tick = [progress, step](double elapsed_s) { progress(step, elapsed_s); };
  StatusOr<std::unique_ptr<io::Process>> started = io::Process::Start(std::move(p));
  if (!started.ok()) return started.status().WithContext("csim");
  return started;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

StatusOr<std::string> FindProjectName(const fs::path& dir) {
  std::string name;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string f = e.path().filename().string();
    const std::string suffix = "_test.cpp";
    if (f.size() > suffix.size() &&
        f.compare(f.size() - suffix.size(), suffix.size(), suffix) == 0) {
      const std::string n = f.substr(0, f.size() - suffix.size());
      if (fs::exists(dir / "firmware" / (n + ".cpp"))) {
        if (!name.empty()) return InvalidArgument("csim: " + dir.string() + " holds two projects");
        name = n;
      }
    }
  }
  if (ec) return NotFound("csim: cannot read directory " + dir.string() + ": " + ec.message());
  if (name.empty()) {
    return NotFound("csim: " + dir.string() +
                    " is not an HLS project (no <name>_test.cpp with firmware/<name>.cpp); write "
                    "one with `firmnet build --backend hls`");
  }
  return name;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// A decimal that a double holds exactly comes back unchanged from "%.*f".
bool ExactInDouble(const std::string& s, double d) {
  const size_t dot = s.find('.');
  const int digits = dot == std::string::npos ? 0 : static_cast<int>(s.size() - dot - 1);
  if (digits > 1100) return false;
  std::vector<char> buf(1500);
  std::snprintf(buf.data(), buf.size(), "%.*f", digits, d);
  return s == buf.data() || (s == "0" && std::string(buf.data()) == "-0");
}

Status ConvertOutputs(const std::string& text_path, const std::string& out_path) {
  std::ifstream in(text_path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::vector<std::string> row;
    std::string t;
    while (ss >> t) row.push_back(t);
    if (!row.empty()) rows.push_back(std::move(row));
  }
  io::Matrix m;
  m.rows = static_cast<int64_t>(rows.size());
  m.cols = rows.empty() ? 0 : static_cast<int64_t>(rows[0].size());
  bool exact = true;
  for (const auto& row : rows) {
    if (static_cast<int64_t>(row.size()) != m.cols) return Internal("csim: ragged output rows");
    for (const std::string& v : row) {
      const double d = std::strtod(v.c_str(), nullptr);
      exact = exact && ExactInDouble(v, d);
      m.data.push_back(d);
    }
  }
  const bool npy = fs::path(out_path).extension() == ".npy";
  // Values wider than a double stay exact in text, as `predict` writes them.
  if (!npy && !exact) return io::WriteTextRows(out_path, rows);
  return io::WriteSamples(out_path, m);
}

// The project's sources are older than its C-sim binary (and the headers did not move): no
// need to compile again (a second `firmnet csim --input` on the same project is instant).
bool UpToDate(const fs::path& dir, const fs::path& exe, const std::string& name,
              const std::string& include) {
  std::error_code ec;
  if (!fs::exists(exe, ec)) return false;
  const auto built = fs::last_write_time(exe, ec);
  if (ec) return false;
  if (ReadAll((dir / "csim/include_dir.txt").string()) != include) return false;
  std::vector<fs::path> sources = {dir / (name + "_test.cpp")};
  for (const auto& e : fs::recursive_directory_iterator(dir / "firmware", ec)) {
    if (e.is_regular_file()) sources.push_back(e.path());
  }
  if (ec) return false;
  for (const fs::path& p : sources) {
    if (fs::last_write_time(p, ec) >= built || ec) return false;
  }
  return true;
}

Status Compile(const std::string& cxx, const fs::path& dir, const std::string& name,
               const std::string& include, const Progress& progress) {
  const std::vector<std::string> flags = {"-O2", "-std=c++17", "-Wno-unknown-pragmas", "-Ifirmware",
                                          "-I" + include};

  // The top function and the testbench compile in parallel; then one link.
  struct Unit {
    std::string src, obj, log;
  };
  const std::vector<Unit> units = {
      {"firmware/" + name + ".cpp", "csim/" + name + ".o", "csim/compile_top.log"},
      {name + "_test.cpp", "csim/" + name + "_test.o", "csim/compile_test.log"}};
  std::vector<std::unique_ptr<io::Process>> compiles;
  for (const Unit& u : units) {
    std::vector<std::string> argv = {cxx};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), {"-c", u.src, "-o", u.obj});
    FIRMNET_ASSIGN_OR_RETURN(auto p, Spawn(argv, dir, dir / u.log, progress, "compile"));
    compiles.push_back(std::move(p));
  }
  // Both are waited for before any error returns, so both logs are complete.
  std::string errors;
  Status stopped;
  for (size_t k = 0; k < compiles.size(); ++k) {
    StatusOr<io::ProcessResult> r = compiles[k]->Wait();
    if (!r.ok()) {
      if (stopped.ok()) stopped = r.status().WithContext("csim: compiling " + name);
      continue;
    }
    if (!r->Succeeded()) errors += ReadAll((dir / units[k].log).string());
  }
  FIRMNET_RETURN_IF_ERROR(stopped);
  if (!errors.empty()) return InvalidArgument("csim: compiling " + name + " failed:\n" + errors);
  const std::string exe = "csim/" + name + "_csim";
  {
    FIRMNET_ASSIGN_OR_RETURN(auto p, Spawn({cxx, units[0].obj, units[1].obj, "-o", exe}, dir,
                                           dir / "csim/link.log", progress, "link"));
    FIRMNET_ASSIGN_OR_RETURN(io::ProcessResult r, p->Wait());
    if (!r.Succeeded()) {
      return InvalidArgument("csim: linking " + name + " failed:\n" +
                             ReadAll((dir / "csim/link.log").string()));
    }
  }
  std::ofstream((dir / "csim/include_dir.txt").string(), std::ios::binary) << include;
  return OkStatus();
}

}  // namespace

StatusOr<std::string> DefaultHlsInclude() {
  StatusOr<std::string> dir = FindDataPath("hls/include");
  if (!dir.ok()) return dir.status().WithContext("csim");
  return dir;
}

StatusOr<CsimResult> RunCsim(const CsimOptions& o) {
  const fs::path dir = fs::absolute(o.project_dir);
  FIRMNET_ASSIGN_OR_RETURN(std::string name, FindProjectName(dir));
  std::string include = o.hls_include;
  if (include.empty()) {
    FIRMNET_ASSIGN_OR_RETURN(include, DefaultHlsInclude());
  }
  include = fs::absolute(include).string();
  if (!fs::exists(fs::path(include) / "ap_fixed.h")) {
    return NotFound("csim: no ap_fixed.h in '" + include +
                    "'; pass the firmnet hls/include directory with --hls-include");
  }
  std::error_code ec;
  fs::create_directories(dir / "csim", ec);
  if (ec) return IoError("csim: cannot create " + (dir / "csim").string() + ": " + ec.message());
  CsimResult r;
  auto t0 = std::chrono::steady_clock::now();
  const std::string exe = "csim/" + name + "_csim";
  if (!UpToDate(dir, dir / exe, name, include)) {
    fs::remove(dir / exe, ec);
    FIRMNET_RETURN_IF_ERROR(Compile(o.cxx, dir, name, include, o.progress));
  }
  r.compile_seconds = Seconds(t0);

  std::vector<std::string> run = {"./" + exe};
  if (!o.input_path.empty()) {
    if (fs::exists(dir / "tb_data/tb_input_features_0.dat") ||
        fs::exists(dir / "tb_data/tb_output_predictions_0.dat")) {
      return InvalidArgument(
          "csim: --input takes a project with one input and one output; " + name +
          " has several (its testbench reads tb_data/tb_input_features_<k>.dat and writes one "
          "file per output)");
    }
    FIRMNET_ASSIGN_OR_RETURN(io::Matrix in, io::ReadSamples(o.input_path));
    std::string text;
    for (int64_t i = 0; i < in.rows; ++i) {
      for (int64_t c = 0; c < in.cols; ++c) {
        text += (c ? " " : "") + FormatRoundTrip(in.data[i * in.cols + c]);
      }
      text += "\n";
    }
    std::ofstream((dir / "csim/input.dat").string(), std::ios::binary) << text;
    run.push_back("csim/input.dat");
    run.push_back("csim/output.dat");
    r.samples = in.rows;
  }
  auto t1 = std::chrono::steady_clock::now();
  FIRMNET_ASSIGN_OR_RETURN(auto testbench,
                           Spawn(run, dir, dir / "csim/run.log", o.progress, "run"));
  FIRMNET_ASSIGN_OR_RETURN(io::ProcessResult ran, testbench->Wait());
  r.run_seconds = Seconds(t1);
  r.output = ReadAll((dir / "csim/run.log").string());
  if (!o.input_path.empty()) {
    if (!ran.Succeeded()) {
      return InvalidArgument("csim: the project failed on " + o.input_path + " (" + ran.Describe() +
                             "):\n" + r.output);
    }
    FIRMNET_RETURN_IF_ERROR(ConvertOutputs((dir / "csim/output.dat").string(), o.output_path));
    return r;
  }
  long long passed = -1, failed = -1;
  const size_t at = r.output.rfind(" passed, ");
  if (at != std::string::npos) {
    const size_t line = r.output.rfind('\n', at);
    std::sscanf(r.output.c_str() + (line == std::string::npos ? 0 : line + 1),
                "%lld passed, %lld failed", &passed, &failed);
  }
  if (passed < 0 || failed < 0 || (!ran.Succeeded() && failed == 0)) {
    return InvalidArgument("csim: the testbench of " + name + " did not finish (" + ran.Describe() +
                           "):\n" + r.output);
  }
  r.passed = passed;
  r.failed = failed;
  return r;
}

}  // namespace firmnet::backend::hls
