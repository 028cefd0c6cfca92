// The result of `firmnet synth`: resource counts and the timing estimate of one Yosys run, and
// its text and JSON forms. The JSON keys are a stable interface (bench scripts read them);
// docs/synth.md lists them.
#pragma once

#include <optional>
#include <string>

#include "firmnet/report/netlist.h"
#include "firmnet/report/timing.h"
#include "firmnet/report/xilinx_part.h"

namespace firmnet::report {

struct SynthReport {
  std::string part;
  XilinxFamily family = XilinxFamily::kXc7;
  std::string top;
  ResourceCounts resources;
  std::optional<TimingEstimate> timing;  // absent when the estimate failed (see timing_error)
  std::string timing_error;
  double target_period_ns = 0;         // the design's clock (design.json); 0: unknown
  std::optional<double> yosys_wall_s;  // absent in the saved report.json (it must not vary)
};

// Reads the netlist Yosys wrote and builds the report (counts and timing).
StatusOr<SynthReport> BuildSynthReport(const std::string& netlist_json,
                                       const std::string& netlist_name, const std::string& part,
                                       XilinxFamily family, const std::string& top);

std::string FormatSynthText(const SynthReport& r);
// Pretty-printed JSON, keys in a fixed order, ending with a newline.
std::string FormatSynthJson(const SynthReport& r);

}  // namespace firmnet::report
