// The testbenches `firmnet sim` builds: a C++ harness for Verilator and a Verilog-2005 testbench
// for Icarus. Both do the same thing: read one hex line per sample (in_data, most significant
// digit first) from the file named by the first argument / +inputs=, drive the design with a
// bubble in in_valid every 13th cycle (so the valid pipeline is exercised), and write
//   I <cycle>          when a sample is accepted (in_valid and in_ready high at a rising edge)
//   O <cycle> <hex>    when out_valid is high (out_data, most significant digit first)
// to the second file / +outputs=. firmnet compares the O lines with the emulator and derives the
// latency and the II from the cycle numbers.
#pragma once

#include <string>

#include "firmnet/backend/verilog/design.h"

namespace firmnet::verilog {

std::string VerilatorHarness(const DesignInfo& d);
std::string IcarusTestbench(const DesignInfo& d);

}  // namespace firmnet::verilog
