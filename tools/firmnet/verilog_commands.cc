// `firmnet build --backend verilog` and `firmnet sim`: the Verilog backend's commands
// (docs/verilog_backend.md).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "firmnet/backend/verilog/design.h"
#include "firmnet/backend/verilog/simulate.h"
#include "firmnet/driver/model_io.h"
#include "firmnet/driver/pipeline.h"
#include "firmnet/io/output_dir.h"

namespace firmnet::cli {

int RunVerilogBuild(const BuildArgs& a) {
  auto graph = driver::LoadResolvedGraph(Source(a.model), Prepare(a.model));
  if (!graph.ok()) return Fail(graph.status());
  const std::string top = a.project.empty() ? graph->settings.project_name : a.project;
  auto project = verilog::BuildProject(*graph, top);
  if (!project.ok()) return Fail(project.status());
  auto dir = io::OutputDir::Begin(a.out_dir, a.force);
  if (!dir.ok()) return Fail(dir.status());
  for (const auto& [file, text] : project->files) {
    if (Status s = dir->WriteFile(file, text); !s.ok()) return Fail(s);
  }
  if (Status s = dir->Commit(); !s.ok()) return Fail(s);
  const verilog::DesignInfo& d = project->info;
  const verilog::ArithmeticCounts& n = d.arithmetic;
  std::printf(
      "wrote %s/%s.v (Verilog-2005): latency %d cycles, II %d, in_data %d bits, "
      "out_data %d bits; %d DSP + %d shift-and-add constant products, %d DSP + %d LUT "
      "variable products, %d adders\n",
      a.out_dir.c_str(), d.top.c_str(), d.latency, d.ii, d.in_width, d.out_width, n.dsp_constant,
      n.shift_add, n.dsp_variable, n.lut_variable, n.adders);
  return 0;
}

std::vector<Command> AddVerilogCommands(CLI::App& app) {
  struct SimArgs {
    std::string dir, output, simulator = "verilator";
    std::vector<std::string> inputs;
    bool json = false;
  };
  static SimArgs args;
  auto* sim = app.add_subcommand(
      "sim", "Simulate a Verilog project (firmnet build --backend verilog) against the emulator");
  sim->add_option("DIR", args.dir, "Project directory")->required();
  AddInputOption(sim, args.inputs);
  sim->add_option("--output", args.output, "Write the simulated outputs (.npy or exact text)");
  sim->add_option("--simulator", args.simulator, "verilator (default) or icarus")
      ->check(CLI::IsMember({"verilator", "icarus"}));
  sim->add_flag("--json", args.json, "Print the result as JSON");
  auto run = []() -> int {
    // The emulator runs the resolved model the project was generated from.
    auto model = verilog::ProjectModelPath(args.dir);
    if (!model.ok()) return Fail(model.status());
    auto graph = driver::LoadResolvedGraph(driver::ModelSource{*model, "", ""});
    if (!graph.ok()) return Fail(graph.status());
    const std::vector<const ir::Node*> inputs = graph->Inputs();
    if (inputs.size() != 1) {
      std::string names;
      for (const ir::Node* in : inputs) names += (names.empty() ? "" : ", ") + in->name;
      return Fail(Unimplemented(
          "verilog backend: models with several inputs are not supported yet (inputs: " + names +
          ")"));
    }
    auto batches = driver::ReadModelInputs(args.inputs, inputs);
    if (!batches.ok()) return Fail(batches.status());
    const emu::Batch* batch = batches->data();
    verilog::SimOptions o;
    o.dir = args.dir;
    o.simulator = args.simulator;
    TerminalProgress progress("firmnet sim");
    o.progress = [&](const std::string& step, double t) { progress.Update(step, t); };
    auto r = verilog::Simulate(o, *graph, *batch);
    progress.Clear();
    if (!r.ok()) return Fail(r.status());
    if (args.json) {
      nlohmann::ordered_json j;
      j["simulator"] = args.simulator;
      j["samples"] = r->passed + r->failed;
      j["passed"] = r->passed;
      j["failed"] = r->failed;
      j["latency_cycles"] = r->latency;
      j["ii_cycles"] = r->ii;
      j["build_seconds"] = r->build_seconds;
      j["build_cached"] = r->build_cached;
      j["run_seconds"] = r->run_seconds;
      if (!r->first_mismatch.empty()) j["first_mismatch"] = r->first_mismatch;
      std::printf("%s\n", j.dump(2).c_str());
    } else {
      std::printf("%lld passed, %lld failed\n", static_cast<long long>(r->passed),
                  static_cast<long long>(r->failed));
      std::printf("latency %d cycles, II %d (measured); %s build %.1f s%s, simulation %.2f s\n",
                  r->latency, r->ii, args.simulator.c_str(), r->build_seconds,
                  r->build_cached ? " (cached)" : "", r->run_seconds);
      if (!r->first_mismatch.empty()) {
        std::printf("first mismatch: %s\n", r->first_mismatch.c_str());
      }
    }
    if (!args.output.empty()) {
      bool same_type = true;
      for (const FixedType& t : r->output_types) same_type &= t == r->output_types[0];
      Status s = WriteBatch(args.output, r->outputs, same_type ? &r->raw_outputs : nullptr,
                            same_type && !r->output_types.empty() ? &r->output_types[0] : nullptr);
      if (!s.ok()) return Fail(s);
    }
    return r->failed == 0 ? 0 : 1;
  };
  return {Command{sim, run}};
}

}  // namespace firmnet::cli
