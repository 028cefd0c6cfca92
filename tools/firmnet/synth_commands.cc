// `firmnet synth DIR [--part PART]`: synthesizes a generated Verilog project with Yosys
// (synth_xilinx) and reports resources and a timing estimate. The flow, the netlist reading and
// the report live in src/firmnet/report; this file parses options and prints.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli_common.h"
#include "firmnet/io/output_dir.h"
#include "firmnet/report/synth_inputs.h"
#include "firmnet/report/synth_report.h"
#include "firmnet/report/xilinx_part.h"
#include "firmnet/report/yosys_run.h"
#include "firmnet/report/yosys_script.h"

namespace firmnet::cli {
namespace {

namespace fs = std::filesystem;

struct SynthArgs {
  std::string dir;
  std::string part;
  std::string top;
  double timeout_s = 0;
  bool json = false;
  std::string yosys = "yosys";
};

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(path + ": cannot read the file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int RunSynth(const SynthArgs& a) {
  auto inputs = report::FindSynthInputs(a.dir, a.top);
  if (!inputs.ok()) return Fail(inputs.status());
  // By default the part the RTL was pipelined for.
  const std::string part = a.part.empty() ? inputs->part : a.part;
  if (part.empty()) {
    return Fail(InvalidArgument(a.dir + ": design.json names no part; give --part"));
  }
  auto family = report::FamilyForPart(part);
  if (!family.ok()) return Fail(family.status());

  // Everything goes to DIR/synth, replaced as a whole only when the run succeeded. The staging
  // directory sits beside it inside DIR, so the script's "../file.v" paths hold in both places.
  const std::string out_dir = (fs::path(a.dir) / "synth").string();
  auto out = io::OutputDir::Begin(out_dir, /*force=*/true);
  if (!out.ok()) return Fail(out.status());
  report::SynthScriptOptions script;
  script.family = *family;
  script.top = inputs->top;
  for (const std::string& s : inputs->sources) script.sources.push_back("../" + s);
  if (Status s = out->WriteFile("synth.ys", report::YosysSynthScript(script)); !s.ok())
    return Fail(s);
  auto script_path = out->PathFor("synth.ys");
  if (!script_path.ok()) return Fail(script_path.status());

  report::YosysRunOptions run;
  run.yosys = a.yosys;
  run.work_dir = fs::path(*script_path).parent_path().string();
  run.timeout_s = a.timeout_s;
  // On a terminal: the running Yosys pass and the time, on one line; nothing when piped.
  TerminalProgress progress("firmnet synth");
  run.progress_interval_s = 1;
  run.progress = [&](double t, const std::string& pass) {
    progress.Update("yosys pass " + (pass.empty() ? std::string("(starting)") : pass), t);
  };
  std::fprintf(stderr, "firmnet synth: %s (%s), top %s, %zu Verilog file(s)\n", part.c_str(),
               report::YosysFamilyName(*family), inputs->top.c_str(), inputs->sources.size());
  auto ran = report::RunYosys(run);
  progress.Clear();
  if (!ran.ok()) return Fail(ran.status());

  auto netlist_path = out->PathFor(script.netlist_file);
  if (!netlist_path.ok()) return Fail(netlist_path.status());
  auto netlist = ReadFile(*netlist_path);
  if (!netlist.ok()) return Fail(netlist.status());
  auto rep = report::BuildSynthReport(*netlist, out_dir + "/" + script.netlist_file, part, *family,
                                      inputs->top);
  if (!rep.ok()) return Fail(rep.status());
  rep->target_period_ns = inputs->clock_period_ns;
  // The saved report leaves out the wall time, so that it is the same file on every run.
  if (Status s = out->WriteFile("report.json", report::FormatSynthJson(*rep)); !s.ok())
    return Fail(s);
  if (Status s = out->Commit(); !s.ok()) return Fail(s);
  rep->yosys_wall_s = ran->wall_s;
  const std::string text = a.json ? report::FormatSynthJson(*rep) : report::FormatSynthText(*rep);
  std::fputs(text.c_str(), stdout);
  if (!a.json)
    std::printf("Outputs: %s/{synth.ys,yosys.log,stat.txt,netlist.json,report.json}\n",
                out_dir.c_str());
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
