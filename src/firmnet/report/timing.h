// A static timing estimate of a mapped Xilinx netlist: the longest register-to-register path
// under a per-family delay model (xilinx_part.h), its depth in LUT levels, and the Fmax it implies.
// Yosys' own `sta` knows no delays for Xilinx primitives, and there is no open place-and-route
// for these parts, so this is an estimate: it ranks designs and finds the deep paths, it does not
// replace Vivado's timing report.
#pragma once

#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/report/netlist.h"
#include "firmnet/report/xilinx_part.h"

namespace firmnet::report {

// One combinational cell on the critical path, in path order.
struct PathStep {
  std::string cell;   // the wire it drives, when the netlist names it, else the cell's name
  std::string type;   // LUT6, CARRY4, DSP48E2...
  double arrival_ns;  // when its output settles after the clock edge (clock-to-output included)
};

struct TimingEstimate {
  bool has_path = false;                   // false: no register-to-register path at all
  double critical_path_ns = 0;             // the slowest path, clock-to-output and setup included
  double fmax_mhz = 0;                     // 1000 / critical_path_ns
  int logic_levels = 0;                    // LUTs on the critical path
  int max_lut_levels = 0;                  // the most LUTs on any timed path (may be a faster path)
  int carry_cells = 0;                     // CARRY4/CARRY8 on the critical path
  int muxf_cells = 0;                      // MUXF7/8 on the critical path
  int dsp_cells = 0;                       // combinational DSP48s on the critical path
  std::string from;                        // start: a register cell or an input port
  std::string to;                          // end: a register cell or an output port
  std::vector<PathStep> path;              // the cells between them (wires and INVs left out)
  std::vector<std::string> untimed_types;  // unknown cell types, treated as registers
};

// Top-level input and output ports count as registers (the design is assumed to sit between
// registers of its surroundings). A combinational loop is an InvalidArgument naming a cell on it.
StatusOr<TimingEstimate> EstimateTiming(const Netlist& netlist, const DelayModel& model);

}  // namespace firmnet::report
