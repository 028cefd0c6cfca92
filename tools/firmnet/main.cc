// firmnet: the command-line interface. One binary, one subcommand per job; every subcommand
// goes through driver::LoadResolvedGraph so that they all see the same graph.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "firmnet/config/config.h"
#include "firmnet/driver/compare.h"
#include "firmnet/driver/output_dir.h"
#include "firmnet/driver/pipeline.h"
#include "firmnet/emu/emulator.h"
#include "firmnet/io/samples.h"
#include "firmnet/ir/printer.h"

namespace firmnet {
namespace {

constexpr const char* kVersion = "0.1.0";

struct ModelArgs {
  std::string model;
  std::string weights;
  std::string config;
  std::vector<std::string> dump_after;
};

void AddModelArgs(CLI::App* cmd, ModelArgs& a, bool with_config = true) {
  cmd->add_option("MODEL", a.model,
                  "Model file: .onnx, Keras .json (with --weights) or full .h5, or firmnet .fnir")
      ->required();
  cmd->add_option("--weights", a.weights, "Keras weights .h5 for a .json model");
  if (with_config) cmd->add_option("-c,--config", a.config, "hls4ml-style YAML config");
  cmd->add_option("--dump-after", a.dump_after,
                  "Print the text IR to stderr after the named pass (repeatable)");
}

driver::ModelSource Source(const ModelArgs& a) { return {a.model, a.weights, a.config}; }

driver::PrepareOptions Prepare(const ModelArgs& a) {
  driver::PrepareOptions o;
  o.dump_after = a.dump_after;
  o.dump = [](std::string_view pass, const ir::Graph& g) {
    std::fprintf(stderr, "// after pass %.*s\n%s", static_cast<int>(pass.size()), pass.data(),
                 ir::PrintGraph(g).c_str());
  };
  return o;
}

int Fail(const Status& s) {
  std::fprintf(stderr, "firmnet: error: %s\n", s.message().c_str());
  return 1;
}

// Writes a batch: .npy as float64; text exactly (shortest round-trip doubles, or exact decimals
// when a fixed-point type has more significant bits than a double holds).
Status WriteBatch(const std::string& path, const emu::Batch& b, const std::vector<BigInt>* raw,
                  const FixedType* type) {
  const bool npy = std::filesystem::path(path).extension() == ".npy";
  if (!npy && raw && type && type->width > 53) {
    std::vector<std::vector<std::string>> rows(b.rows);
    for (int64_t r = 0; r < b.rows; ++r) {
      for (int64_t c = 0; c < b.cols; ++c) rows[r].push_back(ToExactDecimal((*raw)[r * b.cols + c], *type));
    }
    return io::WriteTextRows(path, rows);
  }
  io::Matrix m{b.rows, b.cols, b.data};
  return io::WriteSamples(path, m);
}

StatusOr<emu::Batch> ReadInputs(const std::string& path) {
  ASSIGN_OR_RETURN(io::Matrix m, io::ReadSamples(path));
  return emu::Batch{m.rows, m.cols, std::move(m.data)};
}

std::string SafeName(const std::string& s) {
  std::string out;
  for (char c : s) out.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ? c : '_');
  return out;
}

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
  Status s = WriteBatch(output, result->outputs[0],
                        use_float ? nullptr : &result->raw_outputs[0],
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
  const std::string text = json ? driver::FormatCompareJson(*report) : driver::FormatCompareText(*report);
  std::fputs(text.c_str(), stdout);
  return 0;
}

}  // namespace
}  // namespace firmnet

int main(int argc, char** argv) {
  using namespace firmnet;
  CLI::App app{"firmnet: neural networks to bit-exact FPGA firmware"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);

  ModelArgs convert_args;
  std::string out_dir;
  bool force = false;
  auto* convert = app.add_subcommand("convert", "Import a model, apply the config, write the IR and resolved config");
  AddModelArgs(convert, convert_args);
  convert->add_option("-o,--output", out_dir, "Output directory")->required();
  convert->add_flag("--force", force, "Replace a non-empty output directory");

  ModelArgs config_args;
  auto* cfg = app.add_subcommand("config", "Print a complete default config for a model (hls4ml-style YAML)");
  AddModelArgs(cfg, config_args, /*with_config=*/false);

  ModelArgs predict_args;
  std::string input, output, trace_dir;
  bool use_float = false;
  auto* predict = app.add_subcommand("predict", "Run the bit-exact emulator (or the float reference) on samples");
  AddModelArgs(predict, predict_args);
  predict->add_option("--input", input, "Samples: .npy, or .csv/.dat/.txt with one sample per row")->required();
  predict->add_option("--output", output, "Outputs: .npy (float64) or text (exact values)")->required();
  predict->add_flag("--float", use_float, "Use the float64 reference instead of the bit-exact emulator");
  predict->add_option("--trace", trace_dir, "Write every layer's outputs (.npy per layer) to this directory");

  ModelArgs compare_args;
  std::string compare_input;
  bool json = false;
  auto* compare = app.add_subcommand("compare", "Agreement of the bit-exact emulator with float, and overflow counts");
  AddModelArgs(compare, compare_args);
  compare->add_option("--input", compare_input, "Samples: .npy, or .csv/.dat/.txt")->required();
  compare->add_flag("--json", json, "Print JSON");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (*convert) return RunConvert(convert_args, out_dir, force);
  if (*cfg) return RunConfig(config_args);
  if (*predict) return RunPredict(predict_args, input, output, use_float, trace_dir);
  if (*compare) return RunCompare(compare_args, compare_input, json);
  return 1;
}
