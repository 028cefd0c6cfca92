#include "firmnet/report/synth_flow.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "firmnet/io/output_dir.h"
#include "firmnet/report/synth_inputs.h"
#include "firmnet/report/xilinx_part.h"
#include "firmnet/report/yosys_run.h"
#include "firmnet/report/yosys_script.h"

namespace firmnet::report {
namespace {

namespace fs = std::filesystem;

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(path + ": cannot read the file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

StatusOr<SynthFlowResult> RunSynthFlow(const SynthFlowOptions& o) {
  FIRMNET_ASSIGN_OR_RETURN(SynthInputs inputs, FindSynthInputs(o.project_dir, o.top));
  const std::string part = o.part.empty() ? inputs.part : o.part;
  if (part.empty()) {
    return InvalidArgument(o.project_dir + ": design.json names no part; give --part");
  }
  FIRMNET_ASSIGN_OR_RETURN(const XilinxFamily family, FamilyForPart(part));

  SynthFlowResult result;
  result.out_dir = (fs::path(o.project_dir) / "synth").string();
  FIRMNET_ASSIGN_OR_RETURN(io::OutputDir out, io::OutputDir::Begin(result.out_dir, /*force=*/true));
  SynthScriptOptions script;
  script.family = family;
  script.top = inputs.top;
  for (const std::string& s : inputs.sources) script.sources.push_back("../" + s);
  FIRMNET_RETURN_IF_ERROR(out.WriteFile("synth.ys", YosysSynthScript(script)));
  FIRMNET_ASSIGN_OR_RETURN(const std::string script_path, out.PathFor("synth.ys"));

  YosysRunOptions run;
  run.yosys = o.yosys;
  run.work_dir = fs::path(script_path).parent_path().string();
  run.timeout_s = o.timeout_s;
  run.progress_interval_s = 1;
  run.progress = o.progress;
  if (o.started) {
    o.started(part + " (" + YosysFamilyName(family) + "), top " + inputs.top + ", " +
              std::to_string(inputs.sources.size()) + " Verilog file(s)");
  }
  FIRMNET_ASSIGN_OR_RETURN(const YosysRunResult ran, RunYosys(run));

  FIRMNET_ASSIGN_OR_RETURN(const std::string netlist_path, out.PathFor(script.netlist_file));
  FIRMNET_ASSIGN_OR_RETURN(const std::string netlist, ReadFile(netlist_path));
  FIRMNET_ASSIGN_OR_RETURN(
      result.report, BuildSynthReport(netlist, result.out_dir + "/" + script.netlist_file, part,
                                      family, inputs.top));
  result.report.target_period_ns = inputs.clock_period_ns;
  FIRMNET_RETURN_IF_ERROR(out.WriteFile("report.json", FormatSynthJson(result.report)));
  FIRMNET_RETURN_IF_ERROR(out.Commit());
  result.report.yosys_wall_s = ran.wall_s;
  return result;
}

}  // namespace firmnet::report
