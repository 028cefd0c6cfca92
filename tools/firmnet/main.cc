// firmnet: the command-line interface. One binary, one subcommand per job; every subcommand
// goes through driver::LoadResolvedGraph so that they all see the same graph.
#include <cstdio>
#include <filesystem>
#include <string>

#include "cli_common.h"
#include "firmnet/config/config.h"
#include "firmnet/driver/compare.h"
#include "firmnet/driver/output_dir.h"
#include "firmnet/driver/pipeline.h"
#include "firmnet/emu/emulator.h"
#include "firmnet/io/samples.h"
#include "firmnet/ir/printer.h"

namespace firmnet::cli {
namespace {

constexpr const char* kVersion = "0.1.0";

int RunConvert(const ModelArgs& a, const std::string& out_dir, bool force) {
  auto graph = driver::LoadResolvedGraph(Source(a), Prepare(a));
  if (!graph.ok()) return Fail(graph.status());
  auto dir = driver::OutputDir::Begin(out_dir, force);
  if (!dir.ok()) return Fail(dir.status());
  const std::string name = graph->settings.project_name;
  Status s = dir->WriteFile(name + ".fnir", ir::PrintGraph(*graph));
  if (s.ok()) s = dir->WriteFile("config.yml", config::ResolvedConfigYaml(*graph));
  if (s.ok()) s = dir->Commit();
  if (!s.ok()) return Fail(s);
  std::printf("wrote %s/%s.fnir and %s/config.yml (%zu layers)\n", out_dir.c_str(), name.c_str(),
              out_dir.c_str(), graph->nodes.size());
  return 0;
}

int RunConfig(const ModelArgs& a) {
  auto graph = driver::LoadShapedGraph(Source(a), Prepare(a));
  if (!graph.ok()) return Fail(graph.status());
  std::fputs(config::DefaultConfigYaml(*graph).c_str(), stdout);
  return 0;
}

int RunPredict(const ModelArgs& a, const std::string& input, const std::string& output,
               bool use_float, const std::string& trace_dir) {
  auto graph = driver::LoadResolvedGraph(Source(a), Prepare(a));
  if (!graph.ok()) return Fail(graph.status());
  auto batch = ReadInputs(input);
  if (!batch.ok()) return Fail(batch.status());
  emu::RunOptions opt;
  opt.trace = !trace_dir.empty();
  opt.keep_raw = !use_float;
  StatusOr<emu::RunResult> result = Internal("not run");
  if (use_float) {
    auto f = emu::FloatEmulator::Create(*graph);
    if (!f.ok()) return Fail(f.status());
    result = (*f)->Run(*batch, opt);
  } else {
    auto e = emu::Emulator::Create(*graph);
    if (!e.ok()) return Fail(e.status());
    result = (*e)->Run(*batch, opt);
  }
  if (!result.ok()) return Fail(result.status().WithContext(input));
  if (result->outputs.size() != 1) {
    return Fail(Unimplemented("predict writes one output tensor; this model has " +
                              std::to_string(result->outputs.size())));
  }
  Status s = WriteBatch(output, result->outputs[0], use_float ? nullptr : &result->raw_outputs[0],
                        use_float ? nullptr : &result->output_types[0]);
  if (!s.ok()) return Fail(s);
  if (!trace_dir.empty()) {
    auto dir = driver::OutputDir::Begin(trace_dir, /*force=*/true);
    if (!dir.ok()) return Fail(dir.status());
    std::string index;
    int k = 0;
    for (const auto& node : graph->nodes) {
      char prefix[16];
      std::snprintf(prefix, sizeof prefix, "%02d_", k++);
      const std::string file = prefix + SafeName(node.name) + ".npy";
      auto path = dir->PathFor(file);
      if (!path.ok()) return Fail(path.status());
      const emu::Batch& t = result->trace.at(node.name);
      if (Status w = io::WriteSamples(*path, {t.rows, t.cols, t.data}); !w.ok()) return Fail(w);
      index += file + " " + node.name + " " + std::string(LayerKindId(node.kind)) + " " +
               FormatFixedType(node.Precision("result")) + "\n";
    }
    if (Status w = dir->WriteFile("index.txt", index); !w.ok()) return Fail(w);
    if (Status w = dir->Commit(); !w.ok()) return Fail(w);
  }
  uint64_t overflows = 0;
  for (const auto& l : result->layers) overflows += l.counters.wraps + l.counters.saturations;
  std::printf("%lld samples -> %s (%s)%s\n", static_cast<long long>(batch->rows), output.c_str(),
              use_float ? "float64 reference" : "bit-exact",
              use_float ? "" : (", " + std::to_string(overflows) + " overflow events").c_str());
  return 0;
}

int RunCompare(const ModelArgs& a, const std::string& input, bool json) {
  auto graph = driver::LoadResolvedGraph(Source(a), Prepare(a));
  if (!graph.ok()) return Fail(graph.status());
  auto batch = ReadInputs(input);
  if (!batch.ok()) return Fail(batch.status());
  auto report = driver::Compare(*graph, *batch);
  if (!report.ok()) return Fail(report.status().WithContext(input));
  const std::string text =
      json ? driver::FormatCompareJson(*report) : driver::FormatCompareText(*report);
  std::fputs(text.c_str(), stdout);
  return 0;
}

}  // namespace
}  // namespace firmnet::cli

int main(int argc, char** argv) {
  using namespace firmnet;
  using namespace firmnet::cli;
  CLI::App app{"firmnet: neural networks to bit-exact FPGA firmware"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);

  ModelArgs convert_args;
  std::string out_dir;
  bool force = false;
  auto* convert = app.add_subcommand(
      "convert", "Import a model, apply the config, write the IR and resolved config");
  AddModelArgs(convert, convert_args);
  convert->add_option("-o,--output", out_dir, "Output directory")->required();
  convert->add_flag("--force", force, "Replace a non-empty output directory");

  ModelArgs config_args;
  auto* cfg = app.add_subcommand("config",
                                 "Print a complete default config for a model (hls4ml-style YAML)");
  AddModelArgs(cfg, config_args, /*with_config=*/false);

  ModelArgs predict_args;
  std::string input, output, trace_dir;
  bool use_float = false;
  auto* predict = app.add_subcommand(
      "predict", "Run the bit-exact emulator (or the float reference) on samples");
  AddModelArgs(predict, predict_args);
  predict->add_option("--input", input, "Samples: .npy, or .csv/.dat/.txt with one sample per row")
      ->required();
  predict->add_option("--output", output, "Outputs: .npy (float64) or text (exact values)")
      ->required();
  predict->add_flag("--float", use_float,
                    "Use the float64 reference instead of the bit-exact emulator");
  predict->add_option("--trace", trace_dir,
                      "Write every layer's outputs (.npy per layer) to this directory");

  ModelArgs compare_args;
  std::string compare_input;
  bool json = false;
  auto* compare = app.add_subcommand(
      "compare", "Agreement of the bit-exact emulator with float, and overflow counts");
  AddModelArgs(compare, compare_args);
  compare->add_option("--input", compare_input, "Samples: .npy, or .csv/.dat/.txt")->required();
  compare->add_flag("--json", json, "Print JSON");

  BuildArgs build_args;
  auto* build =
      app.add_subcommand("build", "Write a firmware project (HLS C++ or Verilog) for a model");
  AddModelArgs(build, build_args.model);
  build->add_option("--backend", build_args.backend, "hls or verilog")
      ->required()
      ->check(CLI::IsMember({"hls", "verilog"}));
  build->add_option("-o,--output", build_args.out_dir, "Project directory")->required();
  build->add_option("--project", build_args.project,
                    "Project (top function/module) name; default: the config's ProjectName");
  build->add_flag("--force", build_args.force, "Replace a non-empty output directory");
  build->add_flag("--csim", build_args.csim, "hls: C-simulate the project after writing it");
  build->add_option(
      "--hls-port", build_args.hls_port,
      "hls, io_parallel: port protocol of the top function, ap_vld (default) or ap_none");

  std::vector<Command> commands = AddHlsCommands(app);
  for (Command& c : AddVerilogCommands(app)) commands.push_back(std::move(c));
  for (Command& c : AddSynthCommands(app)) commands.push_back(std::move(c));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (*convert) return RunConvert(convert_args, out_dir, force);
  if (*cfg) return RunConfig(config_args);
  if (*predict) return RunPredict(predict_args, input, output, use_float, trace_dir);
  if (*compare) return RunCompare(compare_args, compare_input, json);
  if (*build) {
    if (build_args.csim && build_args.backend != "hls") {
      return Fail(InvalidArgument("--csim applies to --backend hls only"));
    }
    if (!build_args.hls_port.empty() && build_args.backend != "hls") {
      return Fail(InvalidArgument("--hls-port applies to --backend hls only"));
    }
    return build_args.backend == "hls" ? RunHlsBuild(build_args) : RunVerilogBuild(build_args);
  }
  for (const Command& c : commands) {
    if (*c.cmd) return c.run();
  }
  return 1;
}
