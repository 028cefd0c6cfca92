// `firmnet synth DIR [--part PART]`: synthesizes a generated Verilog project with Yosys
// (synth_xilinx) and reports resources and a timing estimate. The flow, the netlist reading and
// the report live in src/firmnet/report; this file parses options and prints.
#include <cstdio>
#include <memory>

#include "cli_common.h"
#include "firmnet/report/synth_flow.h"
#include "firmnet/report/synth_report.h"

namespace firmnet::cli {
namespace {

struct SynthArgs {
  std::string dir;
  std::string part;
  std::string top;
  double timeout_s = 0;
  bool json = false;
  std::string yosys = "yosys";
};

int RunSynth(const SynthArgs& a) {
  report::SynthFlowOptions o;
  o.project_dir = a.dir;
  o.part = a.part;
  o.top = a.top;
  o.timeout_s = a.timeout_s;
  o.yosys = a.yosys;
  TerminalProgress progress("firmnet synth");
  o.started = [](const std::string& what) {
    std::fprintf(stderr, "firmnet synth: %s\n", what.c_str());
  };
  o.progress = [&](double t, const std::string& pass) {
    progress.Update("yosys pass " + (pass.empty() ? std::string("(starting)") : pass), t);
  };
  auto r = report::RunSynthFlow(o);
  progress.Clear();
  if (!r.ok()) return Fail(r.status());
  const std::string text =
      a.json ? report::FormatSynthJson(r->report) : report::FormatSynthText(r->report);
  std::fputs(text.c_str(), stdout);
  if (!a.json) {
    std::printf("Outputs: %s/{synth.ys,yosys.log,stat.txt,netlist.json,report.json}\n",
                r->out_dir.c_str());
  }
  return 0;
}

}  // namespace

std::vector<Command> AddSynthCommands(CLI::App& app) {
  auto args = std::make_shared<SynthArgs>();
  auto* cmd = app.add_subcommand("synth",
                                 "Synthesize a Verilog project with Yosys (synth_xilinx): "
                                 "LUT/FF/DSP/BRAM/CARRY counts and a timing estimate");
  cmd->add_option("DIR", args->dir,
                  "Project directory written by `firmnet build --backend verilog`")
      ->required();
  cmd->add_option("--part", args->part,
                  "Xilinx part, e.g. xcku115-flvb2104-2-i (sets the synth_xilinx family; "
                  "default: the config's Part, from design.json)");
  cmd->add_option("--top", args->top,
                  "Top module (default: design.json, else the one module no other instantiates)");
  cmd->add_option("--timeout", args->timeout_s,
                  "Stop Yosys after this many seconds and fail (default: no limit)")
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_flag("--json", args->json, "Print the report as JSON");
  cmd->add_option("--yosys", args->yosys, "Yosys executable (default: yosys on PATH)");
  return {Command{cmd, [args] { return RunSynth(*args); }}};
}

}  // namespace firmnet::cli
