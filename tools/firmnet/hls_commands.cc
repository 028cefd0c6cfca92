// `firmnet build --backend hls` and `firmnet csim`: the HLS C++ backend on the command line.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "firmnet/backend/hls/csim.h"
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/backend/hls/project.h"

namespace firmnet::cli {
namespace {

struct CsimArgs {
  std::string dir;
  std::vector<std::string> inputs;
  std::string input;  // the one of `inputs`
  std::string output;
  std::string hls_include;
  bool json = false;
};

int RunCsimCommand(CsimArgs a) {
  // `csim --input` runs projects of one input and one output on a file: .npy (any rank, one
  // sample per index of the first axis), an .npz holding one array, or text. A project of several
  // inputs or outputs is checked on its own testbench data (csim without --input).
  if (a.inputs.size() > 1) {
    return Fail(Unimplemented(
        "csim: --input with models of several inputs is not supported yet (csim got " +
        std::to_string(a.inputs.size()) + " --input files: " + JoinInputs(a.inputs) +
        "); `firmnet csim DIR` checks such a project on its testbench data"));
  }
  if (!a.inputs.empty()) a.input = a.inputs[0];
  if (a.input.empty() != a.output.empty()) {
    return Fail(InvalidArgument("csim: --input and --output go together"));
  }
  backend::hls::CsimOptions o;
  o.project_dir = a.dir;
  o.hls_include = a.hls_include;
  o.input_path = a.input;
  o.output_path = a.output;
  TerminalProgress progress("firmnet csim");
  o.progress = [&](const std::string& step, double t) { progress.Update(step, t); };
  auto r = backend::hls::RunCsim(o);
  progress.Clear();
  if (!r.ok()) return Fail(r.status());
  if (a.json) {
    nlohmann::ordered_json j;
    j["project"] = a.dir;
    if (a.input.empty()) {
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
    return a.input.empty() && r->failed != 0 ? 1 : 0;
  }
  if (!a.input.empty()) {
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
                  "Run these samples (.npy, an .npz of one array, or text) instead of the "
                  "testbench check")
      ->allow_extra_args(false);
  cmd->add_option("--output", args.output, "Write the C-simulation outputs here (.npy or text)");
  cmd->add_option("--hls-include", args.hls_include,
                  "Directory with ap_fixed.h/ap_int.h/hls_stream.h (default: hls/include in "
                  "firmnet's data directory: $FIRMNET_DATA_DIR, else ../share/firmnet beside "
                  "the executable)");
  cmd->add_flag("--json", args.json,
                "Print the result as JSON (testbench: samples, passed, failed; times)");
  return {Command{cmd, [] { return RunCsimCommand(args); }}};
}

}  // namespace firmnet::cli
