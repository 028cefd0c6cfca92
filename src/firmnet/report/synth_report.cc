#include "firmnet/report/synth_report.h"

#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace firmnet::report {
namespace {

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// A name for a path step in the text report: the RTL wire it drives, or for a cell Yosys made
// ("$techmap$add$../jet.v:14103$2952...", "$abc$2068$auto$blifparse.cc:525:parse_blif$2357") the
// RTL source line it came from, or nothing.
std::string ReadableCellName(const std::string& name) {
  if (name.empty() || name[0] != '$') return name;
  for (size_t v = name.find(".v:"); v != std::string::npos; v = name.find(".v:", v + 1)) {
    size_t end = v + 3;
    while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end]))) ++end;
    if (end == v + 3) continue;
    size_t begin = name.find_last_of("$/", v);
    begin = begin == std::string::npos ? 0 : begin + 1;
    return name.substr(begin, end - begin);
  }
  return "";
}

// Rounded so that the JSON text does not depend on the last bits of a double sum.
double Round(double v, int digits) { return std::stod(Fixed(v, digits)) + 0.0; }  // no -0

}  // namespace

StatusOr<SynthReport> BuildSynthReport(const std::string& netlist_json,
                                       const std::string& netlist_name, const std::string& part,
                                       XilinxFamily family, const std::string& top) {
  FIRMNET_ASSIGN_OR_RETURN(Netlist netlist, ParseYosysNetlist(netlist_json, top, netlist_name));
  SynthReport r;
  r.part = part;
  r.family = family;
  r.top = top;
  r.resources = CountResources(netlist);
  auto timing = EstimateTiming(netlist, DelayModelFor(family));
  if (timing.ok()) {
    r.timing = *timing;
  } else {
    r.timing_error = timing.status().message();
  }
  return r;
}

std::string FormatSynthText(const SynthReport& r) {
  const ResourceCounts& c = r.resources;
  std::string s;
  s += "Yosys synth_xilinx -family " + std::string(YosysFamilyName(r.family)) + " (" +
       FamilyDisplayName(r.family) + "), part " + r.part + ", top " + r.top + "\n";
  auto row = [&](const char* name, int64_t v, const std::string& note = "") {
    char buf[128];
    std::snprintf(buf, sizeof buf, "  %-8s %10lld", name, static_cast<long long>(v));
    s += buf;
    if (!note.empty()) s += "   " + note;
    s += "\n";
  };
  row("LUT", c.lut, "logic LUTs (LUT1-LUT6)");
  if (c.srl + c.lutram > 0)
    row("LUTMEM", c.srl + c.lutram,
        "SRL " + std::to_string(c.srl) + ", LUT RAM " + std::to_string(c.lutram));
  if (c.inv > 0)
    row("INV", c.inv, "inverters, not in LUT (Vivado folds most into the LUTs they feed)");
  row("FF", c.ff);
  row("DSP", c.dsp);
  row("BRAM18", c.bram18(),
      "RAMB18 " + std::to_string(c.ramb18) + ", RAMB36 " + std::to_string(c.ramb36) +
          " (counted as 2)");
  if (c.uram > 0) row("URAM", c.uram);
  row("CARRY", c.carry(),
      "CARRY4 " + std::to_string(c.carry4) + ", CARRY8 " + std::to_string(c.carry8));
  row("MUXF", c.muxf, "MUXF7/MUXF8");
  if (r.timing && r.timing->has_path) {
    const TimingEstimate& t = *r.timing;
    s += "Timing estimate (model for " + std::string(FamilyDisplayName(r.family)) +
         ", -2 speed grade; not a Vivado result):\n";
    s += "  critical path " + Fixed(t.critical_path_ns, 2) + " ns -> Fmax ~" +
         Fixed(t.fmax_mhz, 0) + " MHz; " + std::to_string(t.logic_levels) + " LUT levels, " +
         std::to_string(t.carry_cells) + " CARRY, " + std::to_string(t.muxf_cells) + " MUXF, " +
         std::to_string(t.dsp_cells) + " DSP on it\n";
    if (r.target_period_ns > 0) {
      // Rounded as the JSON has it: a path that sums to the period exactly in decimal (4.55 ns
      // of logic at 5 ns) must not "miss" by a floating-point residue.
      const double slack = Round(r.target_period_ns - t.critical_path_ns, 3);
      s += "  target clock " + Fixed(r.target_period_ns, 2) + " ns (" +
           Fixed(1000.0 / r.target_period_ns, 0) + " MHz): estimated slack " + Fixed(slack, 2) +
           " ns" + (slack < 0 ? " (misses)" : "") + "\n";
    }
    s += "  from " + t.from + "\n";
    // One line per cell, a run of cells along one carry chain on one line.
    for (size_t i = 0; i < t.path.size();) {
      size_t end = i + 1;
      while (end < t.path.size() && IsCarryType(t.path[i].type) &&
             t.path[end].type == t.path[i].type)
        ++end;
      const PathStep& last = t.path[end - 1];
      std::string type = last.type;
      if (end - i > 1) type += " x" + std::to_string(end - i);
      const std::string name = ReadableCellName(last.cell);
      char buf[64];
      std::snprintf(buf, sizeof buf, "    %6.2f ns  %-10s", last.arrival_ns, type.c_str());
      std::string line = buf;
      if (!name.empty()) line += " " + name;
      s += line.substr(0, line.find_last_not_of(' ') + 1) + "\n";
      i = end;
    }
    s += "  to   " + t.to + "\n";
    s += "  deepest path: " + std::to_string(t.max_lut_levels) + " LUT levels\n";
    if (!t.untimed_types.empty()) {
      std::string list;
      for (const auto& u : t.untimed_types) list += (list.empty() ? "" : ", ") + u;
      s += "  cell types without a delay model (treated as registers): " + list + "\n";
    }
  } else if (r.timing) {
    s += "Timing estimate: no register-to-register path\n";
  } else {
    s += "Timing estimate unavailable: " + r.timing_error + "\n";
  }
  if (r.yosys_wall_s) s += "Yosys wall time: " + Fixed(*r.yosys_wall_s, 1) + " s\n";
  return s;
}

std::string FormatSynthJson(const SynthReport& r) {
  using nlohmann::ordered_json;
  const ResourceCounts& c = r.resources;
  ordered_json j;
  j["part"] = r.part;
  j["family"] = YosysFamilyName(r.family);
  j["top"] = r.top;
  ordered_json res;
  res["lut"] = c.lut;
  res["ff"] = c.ff;
  res["dsp"] = c.dsp;
  res["bram18"] = c.bram18();
  res["ramb18"] = c.ramb18;
  res["ramb36"] = c.ramb36;
  res["uram"] = c.uram;
  res["carry"] = c.carry();
  res["carry4"] = c.carry4;
  res["carry8"] = c.carry8;
  res["muxf"] = c.muxf;
  res["srl"] = c.srl;
  res["lutram"] = c.lutram;
  res["inv"] = c.inv;
  ordered_json types = ordered_json::object();
  for (const auto& [t, n] : c.by_type) types[t] = n;
  res["cells_by_type"] = types;
  j["resources"] = res;
  if (r.timing) {
    const TimingEstimate& t = *r.timing;
    ordered_json tj;
    tj["has_path"] = t.has_path;
    tj["critical_path_ns"] = Round(t.critical_path_ns, 3);
    tj["fmax_mhz"] = Round(t.fmax_mhz, 1);
    tj["logic_levels"] = t.logic_levels;
    tj["max_lut_levels"] = t.max_lut_levels;
    tj["carry_cells"] = t.carry_cells;
    tj["muxf_cells"] = t.muxf_cells;
    tj["dsp_cells"] = t.dsp_cells;
    if (r.target_period_ns > 0) {
      tj["target_period_ns"] = Round(r.target_period_ns, 3);
      tj["slack_ns"] = Round(r.target_period_ns - t.critical_path_ns, 3);
    }
    tj["from"] = t.from;
    tj["to"] = t.to;
    ordered_json path = ordered_json::array();
    for (const PathStep& step : t.path) {
      path.push_back(
          {{"cell", step.cell}, {"type", step.type}, {"arrival_ns", Round(step.arrival_ns, 3)}});
    }
    tj["path"] = path;
    tj["untimed_types"] = t.untimed_types;
    j["timing"] = tj;
  } else {
    j["timing"] = nullptr;
    j["timing_error"] = r.timing_error;
  }
  if (r.yosys_wall_s) j["yosys_wall_s"] = Round(*r.yosys_wall_s, 2);
  return j.dump(2) + "\n";
}

}  // namespace firmnet::report
