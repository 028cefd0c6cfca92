// `firmnet build --backend hls` and `firmnet csim`: the HLS C++ backend on the command line.
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "firmnet/backend/hls/csim.h"
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/backend/hls/project.h"
#include "firmnet/driver/model_io.h"
#include "firmnet/io/samples.h"

namespace firmnet::cli {
namespace {

struct CsimArgs {
  std::string dir;
  std::vector<std::string> inputs;
  std::string output;
  std::string hls_include;
  bool json = false;
};

// The project's inputs and outputs (tb_data/ports.json) as a graph of bare nodes, so that
// `csim --input/--output` reads and writes files exactly as `predict` does (driver/model_io.h).
ir::Graph PortsGraph(const backend::hls::CsimPorts& ports) {
  ir::Graph g;
  for (const backend::hls::CsimPort& p : ports.inputs) {
    ir::Node n;
    n.kind = LayerKind::kInput;
    n.name = p.name;
    n.shape = p.shape;
    g.nodes.push_back(std::move(n));
  }
  for (const backend::hls::CsimPort& p : ports.outputs) {
    if (g.Find(p.name) == nullptr) {
      ir::Node n;
      n.kind = LayerKind::kLinear;
      n.name = p.name;
      n.shape = p.shape;
      g.nodes.push_back(std::move(n));
    }
    g.outputs.push_back(p.name);
  }
  return g;
}

bool IsArrayFile(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".npy" || ext == ".npz";
}

int RunCsimCommand(const CsimArgs& a) {
  // `csim --input` runs the project on files read as `predict` reads them: one per project input
  // (in the model's order) or one .npz with an array per input; the outputs go to one file as
  // `predict` writes them (an .npz for several outputs).
  if (a.inputs.empty() != a.output.empty()) {
    return Fail(InvalidArgument("csim: --input and --output go together"));
  }
  backend::hls::CsimOptions o;
  o.project_dir = a.dir;
  o.hls_include = a.hls_include;
  ir::Graph ports;
  if (!a.inputs.empty()) {
    auto p = backend::hls::ReadCsimPorts(a.dir);
    if (!p.ok()) return Fail(p.status());
    ports = PortsGraph(*p);
    if (Status s = driver::CheckOutputPath(a.output, ports); !s.ok()) {
      return Fail(s.WithContext("csim"));
    }
    auto batches = driver::ReadModelInputs(a.inputs, ports.Inputs());
    if (!batches.ok())
      return Fail(
          batches.status().WithContext("csim " + a.dir + " --input " + JoinInputs(a.inputs)));
    o.inputs = *std::move(batches);
  }
  TerminalProgress progress("firmnet csim");
  o.progress = [&](const std::string& step, double t) { progress.Update(step, t); };
  auto r = backend::hls::RunCsim(o);
  progress.Clear();
  if (!r.ok()) return Fail(r.status());
  if (!a.inputs.empty()) {
    // Values wider than a double stay exact in a text file, as `predict` writes them.
    Status w;
    if (!IsArrayFile(a.output) && r->outputs.size() == 1 && !r->outputs[0].exact_in_double) {
      w = io::WriteTextRows(a.output, r->outputs[0].text);
    } else {
      emu::RunResult result;
      for (backend::hls::CsimOutput& out : r->outputs) result.outputs.push_back(out.values);
      w = driver::WriteModelOutputs(a.output, ports, result);
    }
    if (!w.ok()) return Fail(w);
  }
  if (a.json) {
    nlohmann::ordered_json j;
    j["project"] = a.dir;
    if (a.inputs.empty()) {
      j["samples"] = r->passed + r->failed;
      j["passed"] = r->passed;
      j["failed"] = r->failed;
    } else {
      j["samples"] = r->samples;
      j["output"] = a.output;
    }
    j["compile_seconds"] = r->compile_seconds;
    j["run_seconds"] = r->run_seconds;
    std::printf("%s\n", j.dump(2).c_str());
    return a.inputs.empty() && r->failed != 0 ? 1 : 0;
  }
  if (!a.inputs.empty()) {
    std::printf("%lld samples -> %s (C-simulation; compile %.1f s, run %.2f s)\n",
                static_cast<long long>(r->samples), a.output.c_str(), r->compile_seconds,
                r->run_seconds);
    return 0;
  }
  std::fputs(r->output.c_str(), stdout);
  std::printf("csim: compile %.1f s, run %.2f s\n", r->compile_seconds, r->run_seconds);
  return r->failed == 0 ? 0 : 1;
}

}  // namespace

int RunHlsBuild(const BuildArgs& a) {
  backend::hls::HlsProjectOptions options;
  options.project_name = a.project;
  if (!a.hls_port.empty()) {
    auto port = backend::hls::ParseHlsPort(a.hls_port);
    if (!port.ok()) return Fail(InvalidArgument("--hls-port: " + port.status().message()));
    options.port = *port;
  }
  auto graph = driver::LoadResolvedGraph(Source(a.model), Prepare(a.model));
  if (!graph.ok()) return Fail(graph.status());
  if (!a.hls_port.empty() && graph->settings.io_type == ir::IoType::kStream) {
    return Fail(InvalidArgument(
        "--hls-port applies to IOType io_parallel, and the resolved config of '" + a.model.model +
        "' has io_stream (its ports are AXI streams); drop --hls-port or set IOType: io_parallel"));
  }
  options.tb_samples =
      a.tb_samples > 0 ? a.tb_samples : backend::hls::DefaultTestbenchSamples(*graph);
  auto files = backend::hls::GenerateHlsProject(*graph, options);
  if (!files.ok()) return Fail(files.status());
  if (Status s = backend::hls::WriteFiles(*files, a.out_dir, a.force); !s.ok()) return Fail(s);
  std::printf("wrote HLS project %s (%zu files; testbench: %lld samples)\n", a.out_dir.c_str(),
              files->size(), static_cast<long long>(options.tb_samples));
  for (const std::string& warning : backend::hls::HlsWarnings(*graph)) {
    std::fprintf(stderr, "warning: %s\n", warning.c_str());
  }
  if (!a.csim) return 0;
  CsimArgs c;
  c.dir = a.out_dir;
  return RunCsimCommand(c);
}

std::vector<Command> AddHlsCommands(CLI::App& app) {
  static CsimArgs args;
  auto* cmd = app.add_subcommand(
      "csim", "C-simulate an HLS project with g++ and firmnet's ap_fixed headers");
  cmd->add_option("DIR", args.dir, "Project directory written by `firmnet build --backend hls`")
      ->required();
  cmd->add_option("--input", args.inputs,
                  "Run these samples instead of the testbench check, read as `predict` reads "
                  "them: one file per project input, in the model's order (repeat --input), or "
                  "one .npz with an array per input named after it")
      ->allow_extra_args(false);
  cmd->add_option("--output", args.output,
                  "Write the C-simulation outputs here, as `predict` writes them (.npz: one "
                  "array per output, named after it; .npy or text: one output)");
  cmd->add_option("--hls-include", args.hls_include,
                  "Directory with ap_fixed.h/ap_int.h/hls_stream.h (default: hls/include in "
                  "firmnet's data directory: $FIRMNET_DATA_DIR, else ../share/firmnet beside "
                  "the executable)");
  cmd->add_flag("--json", args.json,
                "Print the result as JSON (testbench: samples, passed, failed; times)");
  return {Command{cmd, [] { return RunCsimCommand(args); }}};
}

}  // namespace firmnet::cli
