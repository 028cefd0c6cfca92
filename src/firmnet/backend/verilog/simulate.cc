#include "firmnet/backend/verilog/simulate.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "firmnet/backend/verilog/design.h"
#include "firmnet/io/atomic_file.h"
#include "firmnet/io/subprocess.h"

namespace firmnet::verilog {
namespace {

namespace fs = std::filesystem;

bool OnPath(const std::string& tool) { return io::FindOnPath(tool).has_value(); }

// Runs `argv` in `dir` with its output in `log`; an error quotes the log's tail. `progress`
// (optional) hears about the run once a second.
Status Run(const std::string& what, std::vector<std::string> argv, const fs::path& dir,
           const fs::path& log,
           const std::function<void(const std::string&, double)>& progress = nullptr) {
  io::ProcessOptions p;
  p.argv = std::move(argv);
  p.working_dir = dir.string();
  p.output = io::OutputMode::kLogFile;
  p.log_path = log.string();
  if (progress) p.on_tick = [&](double elapsed_s) { progress(what, elapsed_s); };
  FIRMNET_ASSIGN_OR_RETURN(io::ProcessResult r, io::RunProcess(std::move(p)));
  if (!r.Succeeded()) {
    std::string text;
    (void)io::ReadFile(log.string(), &text);
    if (text.size() > 3000) text = "..." + text.substr(text.size() - 3000);
    return Internal(what + " failed (" + r.Describe() + "); log " + log.string() + ":\n" + text);
  }
  return OkStatus();
}

// The project's design.json, read and parsed.
StatusOr<DesignInfo> ReadDesign(const std::string& project_dir) {
  const fs::path dir = fs::absolute(project_dir);
  const std::string json_path = (dir / "design.json").string();
  std::string json;
  if (!io::ReadFile(json_path, &json).ok()) {
    return NotFound(json_path + ": not found; is " + project_dir +
                    " a project written by 'firmnet build --backend verilog'?");
  }
  return ParseDesignJson(json, json_path);
}

// Bits of a hex string, least significant first.
std::vector<bool> HexBits(const std::string& hex, int width) {
  std::vector<bool> bits(width, false);
  int bit = 0;
  for (size_t k = hex.size(); k-- > 0 && bit < width; bit += 4) {
    const char c = hex[k];
    const int v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    for (int b = 0; b < 4 && bit + b < width; ++b) bits[bit + b] = (v >> b) & 1;
  }
  return bits;
}

std::string BitsHex(const std::vector<bool>& bits) {
  const int digits = (static_cast<int>(bits.size()) + 3) / 4;
  std::string hex;
  for (int d = digits - 1; d >= 0; --d) {
    int v = 0;
    for (int b = 0; b < 4; ++b) {
      const size_t i = 4 * static_cast<size_t>(d) + static_cast<size_t>(b);
      if (i < bits.size() && bits[i]) v |= 1 << b;
    }
    hex.push_back("0123456789abcdef"[v]);
  }
  return hex;
}

BigInt ElementRaw(const std::vector<bool>& bits, int lo, const FixedType& t) {
  BigInt v;
  for (int b = t.width - 1; b >= 0; --b) {
    v = v << 1;
    if (bits[lo + b]) v = v + BigInt(1);
  }
  return t.is_signed ? v.Truncate(t.width, true) : v;
}

void PutRaw(std::vector<bool>& bits, int lo, const BigInt& raw, const FixedType& t) {
  for (int b = 0; b < t.width; ++b) bits[lo + b] = raw.Bit(b);
}

}  // namespace

StatusOr<std::string> ProjectModelPath(const std::string& project_dir) {
  FIRMNET_ASSIGN_OR_RETURN(DesignInfo d, ReadDesign(project_dir));
  return (fs::absolute(project_dir) / d.model_file).string();
}

StatusOr<SimResult> Simulate(const SimOptions& options, const ir::Graph& graph,
                             const emu::Batch& inputs) {
  using Clock = std::chrono::steady_clock;
  const fs::path dir = fs::absolute(options.dir);
  FIRMNET_ASSIGN_OR_RETURN(DesignInfo d, ReadDesign(options.dir));
  if (options.simulator != "verilator" && options.simulator != "icarus") {
    return InvalidArgument("unknown simulator '" + options.simulator + "' (verilator or icarus)");
  }
  const std::string tool = options.simulator == "verilator" ? "verilator" : "iverilog";
  if (!OnPath(tool) || (options.simulator == "icarus" && !OnPath("vvp"))) {
    return NotFound(tool + " is not installed (not on PATH); install it (Debian: apt-get install " +
                    (options.simulator == "verilator" ? std::string("verilator") : "iverilog") +
                    ") or choose --simulator " +
                    (options.simulator == "verilator" ? "icarus" : "verilator"));
  }
  const PortTensor& in_t = d.inputs.at(0);
  if (inputs.cols != in_t.elements) {
    return InvalidArgument("the samples have " + std::to_string(inputs.cols) +
                           " values per row; the design's input '" + in_t.name + "' has " +
                           std::to_string(in_t.elements));
  }
  FIRMNET_ASSIGN_OR_RETURN(auto emulator, emu::Emulator::Create(graph));
  emu::RunOptions ro;
  ro.keep_raw = true;
  FIRMNET_ASSIGN_OR_RETURN(emu::RunResult expected, emulator->Run(inputs, ro));

  // Stimulus: the input bits exactly as the emulator quantizes them.
  std::string stimulus;
  for (int64_t r = 0; r < inputs.rows; ++r) {
    std::vector<bool> bits(d.in_width, false);
    for (int64_t c = 0; c < inputs.cols; ++c) {
      const BigInt raw = QuantizeDouble(inputs.data[r * inputs.cols + c], in_t.type);
      PutRaw(bits, in_t.offset + static_cast<int>(c) * in_t.type.width, raw, in_t.type);
    }
    stimulus += BitsHex(bits) + "\n";
  }

  const fs::path build = dir / "sim_build" / options.simulator;
  std::vector<std::string> sources;
  for (const std::string& f : d.verilog_files) sources.push_back((dir / f).string());
  std::vector<std::string> verilator_cmd = {"verilator", "--cc", "--exe",        "--build", "-j",
                                            "2",         "-O3",  "--top-module", d.top,     "-Mdir",
                                            "obj",       "-o",   "tb_sim",       "-CFLAGS", "-O1"};
  verilator_cmd.insert(verilator_cmd.end(), sources.begin(), sources.end());
  verilator_cmd.push_back((dir / "tb_verilator.cpp").string());
  // A Verilator build is reused while the sources and the command are unchanged (the stamp is
  // a hash of both, written after a successful build).
  std::string stamp;
  for (const std::string& a : verilator_cmd) stamp += a + "\n";
  for (const std::string& f : d.verilog_files) {
    std::string text;
    FIRMNET_RETURN_IF_ERROR(io::ReadFile((dir / f).string(), &text));
    stamp += "\n" + text;
  }
  std::string harness;
  FIRMNET_RETURN_IF_ERROR(io::ReadFile((dir / "tb_verilator.cpp").string(), &harness));
  stamp += "\n" + harness;
  uint64_t hash = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : stamp) hash = (hash ^ c) * 1099511628211ull;
  const std::string stamp_text = std::to_string(hash) + "\n";
  std::string old_stamp;
  const bool cached = options.simulator == "verilator" &&
                      io::ReadFile((build / "build.stamp").string(), &old_stamp).ok() &&
                      old_stamp == stamp_text && fs::exists(build / "obj" / "tb_sim");
  std::error_code ec;
  if (!cached) fs::remove_all(build, ec);
  fs::remove(build / "outputs.txt", ec);
  fs::create_directories(build, ec);
  if (ec) return IoError(build.string() + ": cannot create: " + ec.message());
  FIRMNET_RETURN_IF_ERROR(io::WriteFileAtomic((build / "inputs.hex").string(), stimulus));

  SimResult result;
  result.build_cached = cached;
  const auto t0 = Clock::now();
  if (options.simulator == "verilator") {
    if (!cached) {
      FIRMNET_RETURN_IF_ERROR(
          Run("verilator build", verilator_cmd, build, build / "build.log", options.progress));
      FIRMNET_RETURN_IF_ERROR(io::WriteFileAtomic((build / "build.stamp").string(), stamp_text));
    }
    result.build_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const auto t1 = Clock::now();
    FIRMNET_RETURN_IF_ERROR(Run("verilator simulation",
                                {"./obj/tb_sim", "inputs.hex", "outputs.txt"}, build,
                                build / "run.log", options.progress));
    result.run_seconds = std::chrono::duration<double>(Clock::now() - t1).count();
  } else {
    std::vector<std::string> iverilog_cmd = {"iverilog",    "-g2005", "-s",
                                             "tb_" + d.top, "-o",     "sim.vvp"};
    iverilog_cmd.insert(iverilog_cmd.end(), sources.begin(), sources.end());
    iverilog_cmd.push_back((dir / "tb_icarus.v").string());
    FIRMNET_RETURN_IF_ERROR(Run("iverilog build", std::move(iverilog_cmd), build,
                                build / "build.log", options.progress));
    result.build_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const auto t1 = Clock::now();
    FIRMNET_RETURN_IF_ERROR(Run("icarus simulation",
                                {"vvp", "-n", "sim.vvp", "+inputs=inputs.hex",
                                 "+outputs=outputs.txt", "+n=" + std::to_string(inputs.rows)},
                                build, build / "run.log", options.progress));
    result.run_seconds = std::chrono::duration<double>(Clock::now() - t1).count();
  }

  std::string text;
  FIRMNET_RETURN_IF_ERROR(io::ReadFile((build / "outputs.txt").string(), &text));
  std::vector<int64_t> accepted, produced;
  std::vector<std::string> data;
  std::istringstream lines(text);
  std::string tag;
  while (lines >> tag) {
    int64_t cycle = 0;
    lines >> cycle;
    if (tag == "I") {
      accepted.push_back(cycle);
    } else {
      std::string hex;
      lines >> hex;
      produced.push_back(cycle);
      data.push_back(hex);
    }
  }
  if (static_cast<int64_t>(produced.size()) != inputs.rows ||
      static_cast<int64_t>(accepted.size()) != inputs.rows) {
    return Internal("the RTL simulation accepted " + std::to_string(accepted.size()) +
                    " samples and produced " + std::to_string(produced.size()) + " outputs for " +
                    std::to_string(inputs.rows) + " samples (see " + build.string() + ")");
  }
  int lat_min = 1 << 30, lat_max = 0;
  for (size_t k = 0; k < produced.size(); ++k) {
    const int lat = static_cast<int>(produced[k] - accepted[k]);
    lat_min = std::min(lat_min, lat);
    lat_max = std::max(lat_max, lat);
  }
  result.latency = lat_max;
  result.ii = 0;
  for (size_t k = 1; k < accepted.size(); ++k) {
    const int gap = static_cast<int>(accepted[k] - accepted[k - 1]);
    result.ii = result.ii == 0 ? gap : std::min(result.ii, gap);
  }
  if (accepted.size() == 1) result.ii = d.ii;

  int64_t cols = 0;
  for (const PortTensor& t : d.outputs) {
    cols += t.elements;
    for (int64_t k = 0; k < t.elements; ++k) result.output_types.push_back(t.type);
  }
  result.outputs = emu::Batch{inputs.rows, cols, std::vector<double>(inputs.rows * cols)};
  result.raw_outputs.resize(inputs.rows * cols);
  for (int64_t r = 0; r < inputs.rows; ++r) {
    const std::vector<bool> bits = HexBits(data[r], d.out_width);
    bool ok = true;
    int64_t col = 0;
    for (size_t o = 0; o < d.outputs.size(); ++o) {
      const PortTensor& t = d.outputs[o];
      for (int64_t k = 0; k < t.elements; ++k, ++col) {
        const BigInt got = ElementRaw(bits, t.offset + static_cast<int>(k) * t.type.width, t.type);
        const BigInt& want = expected.raw_outputs[o][r * t.elements + k];
        result.raw_outputs[r * cols + col] = got;
        result.outputs.data[r * cols + col] = ToDouble(got, t.type);
        if (!(got == want)) {
          if (ok && result.first_mismatch.empty()) {
            result.first_mismatch = "sample " + std::to_string(r) + ", output '" + t.name +
                                    "' element " + std::to_string(k) + ": rtl " + got.ToDecimal() +
                                    ", emulator " + want.ToDecimal() + " (raw " +
                                    FormatFixedType(t.type) + ")";
          }
          ok = false;
        }
      }
    }
    (ok ? result.passed : result.failed)++;
  }
  if (lat_min != lat_max && result.first_mismatch.empty()) {
    result.first_mismatch = "the latency varies between " + std::to_string(lat_min) + " and " +
                            std::to_string(lat_max) + " cycles";
    result.failed = std::max<int64_t>(result.failed, 1);
  }
  return result;
}

Status Lint(const std::string& project_dir) {
  const fs::path dir = fs::absolute(project_dir);
  FIRMNET_ASSIGN_OR_RETURN(DesignInfo d, ReadDesign(project_dir));
  if (!OnPath("verilator")) return NotFound("verilator is not installed (not on PATH)");
  std::vector<std::string> argv = {"verilator", "--lint-only", "-Wall", "--top-module", d.top};
  for (const std::string& f : d.verilog_files) argv.push_back((dir / f).string());
  const fs::path build = dir / "sim_build";
  std::error_code ec;
  fs::create_directories(build, ec);
  return Run("verilator --lint-only -Wall", std::move(argv), build, build / "lint.log");
}

}  // namespace firmnet::verilog
