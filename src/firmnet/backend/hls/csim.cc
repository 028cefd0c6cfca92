#include "firmnet/backend/hls/csim.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "firmnet/backend/hls/project.h"
#include "firmnet/common/data_dir.h"
#include "firmnet/io/atomic_file.h"
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

// The testbench's output file: one row of exact decimals per sample.
StatusOr<CsimOutput> ReadOutputs(const std::string& text_path, const CsimPort& port) {
  std::ifstream in(text_path);
  if (!in) return Internal("csim: the testbench wrote no " + text_path);
  CsimOutput o;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::vector<std::string> row;
    std::string t;
    while (ss >> t) row.push_back(t);
    if (!row.empty()) o.text.push_back(std::move(row));
  }
  o.values.rows = static_cast<int64_t>(o.text.size());
  o.values.cols = 1;
  for (int64_t d : port.shape) o.values.cols *= d;
  for (const auto& row : o.text) {
    if (static_cast<int64_t>(row.size()) != o.values.cols) {
      return Internal("csim: " + text_path + " has a row of " + std::to_string(row.size()) +
                      " values; output '" + port.name + "' has " + std::to_string(o.values.cols));
    }
    for (const std::string& v : row) {
      const double d = std::strtod(v.c_str(), nullptr);
      o.exact_in_double = o.exact_in_double && ExactInDouble(v, d);
      o.values.data.push_back(d);
    }
  }
  return o;
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

std::string WriteCsimPorts(const CsimPorts& ports) {
  auto list = [](const std::vector<CsimPort>& v) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const CsimPort& p : v) a.push_back({{"name", p.name}, {"shape", p.shape}});
    return a;
  };
  nlohmann::ordered_json j;
  j["inputs"] = list(ports.inputs);
  j["outputs"] = list(ports.outputs);
  return j.dump(2) + "\n";
}

StatusOr<CsimPorts> ReadCsimPorts(const std::string& project_dir) {
  FIRMNET_RETURN_IF_ERROR(FindProjectName(fs::path(project_dir)).status());
  const std::string path = (fs::path(project_dir) / "tb_data/ports.json").string();
  std::string text;
  if (Status s = io::ReadFile(path, &text); !s.ok()) {
    return NotFound("csim: cannot read " + path + " (" + s.message() +
                    "); a project written by an older firmnet lacks it: build it again");
  }
  CsimPorts ports;
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    for (const auto& [key, list] :
         {std::pair{"inputs", &ports.inputs}, std::pair{"outputs", &ports.outputs}}) {
      for (const auto& p : j.at(key)) {
        list->push_back(
            {p.at("name").get<std::string>(), p.at("shape").get<std::vector<int64_t>>()});
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument("csim: " + path + " is not a firmnet ports file: " + e.what());
  }
  if (ports.inputs.empty() || ports.outputs.empty()) {
    return InvalidArgument("csim: " + path + " lists no inputs or no outputs");
  }
  // A hand-edited or damaged file must not size the buffers: every axis in [1, 2^24].
  for (const auto* list : {&ports.inputs, &ports.outputs}) {
    for (const auto& p : *list) {
      for (int64_t d : p.shape) {
        if (d < 1 || d > (int64_t{1} << 24)) {
          return InvalidArgument("csim: " + path + ": port '" + p.name + "' has shape " +
                                 ir::FormatShape(p.shape) + " (every axis must be 1 .. 2^24)");
        }
      }
    }
  }
  return ports;
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
  CsimPorts ports;
  if (!o.inputs.empty()) {
    FIRMNET_ASSIGN_OR_RETURN(ports, ReadCsimPorts(dir.string()));
    if (o.inputs.size() != ports.inputs.size()) {
      return InvalidArgument("csim: " + name + " has " + std::to_string(ports.inputs.size()) +
                             " inputs; got samples for " + std::to_string(o.inputs.size()));
    }
    for (size_t k = 0; k < o.inputs.size(); ++k) {
      const emu::Batch& in = o.inputs[k];
      std::string text;
      for (int64_t i = 0; i < in.rows; ++i) {
        for (int64_t c = 0; c < in.cols; ++c) {
          text += (c ? " " : "") + FormatRoundTrip(in.data[i * in.cols + c]);
        }
        text += "\n";
      }
      const std::string file = "csim/input_" + std::to_string(k) + ".dat";
      std::ofstream((dir / file).string(), std::ios::binary) << text;
      run.push_back(file);
    }
    for (size_t k = 0; k < ports.outputs.size(); ++k) {
      const std::string file = "csim/output_" + std::to_string(k) + ".dat";
      fs::remove(dir / file, ec);
      run.push_back(file);
    }
    r.samples = o.inputs[0].rows;
  }
  auto t1 = std::chrono::steady_clock::now();
  FIRMNET_ASSIGN_OR_RETURN(auto testbench,
                           Spawn(run, dir, dir / "csim/run.log", o.progress, "run"));
  FIRMNET_ASSIGN_OR_RETURN(io::ProcessResult ran, testbench->Wait());
  r.run_seconds = Seconds(t1);
  r.output = ReadAll((dir / "csim/run.log").string());
  if (!o.inputs.empty()) {
    if (!ran.Succeeded()) {
      return InvalidArgument("csim: the project failed on its inputs (" + ran.Describe() + "):\n" +
                             r.output);
    }
    for (size_t k = 0; k < ports.outputs.size(); ++k) {
      FIRMNET_ASSIGN_OR_RETURN(
          CsimOutput out,
          ReadOutputs((dir / ("csim/output_" + std::to_string(k) + ".dat")).string(),
                      ports.outputs[k]));
      r.outputs.push_back(std::move(out));
    }
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
