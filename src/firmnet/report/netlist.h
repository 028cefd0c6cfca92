// The mapped netlist Yosys writes with `write_json`, reduced to what the synthesis report needs:
// each cell's type, integer parameters and input/output nets. Resource counts and the timing
// estimate (timing.h) are computed from it, so both read the same, flattened design.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "firmnet/common/status.h"

namespace firmnet::report {

struct NetlistCell {
  std::string name;
  std::string type;                       // Xilinx primitive: LUT6, FDRE, CARRY4, DSP48E2...
  std::map<std::string, int64_t> params;  // integer-valued parameters only (AREG, PREG...)
  std::vector<int64_t> inputs;            // net ids; constant bits ("0", "1", "x") are dropped
  std::vector<int64_t> outputs;
};

struct NetlistPort {
  std::string name;  // "in_data[3]" for bit 3 of a vector port, "clk" for a 1-bit port
  int64_t net;
  bool input;
};

struct Netlist {
  std::string top;
  std::vector<NetlistCell> cells;  // in the file's order (Yosys writes it deterministically)
  std::vector<NetlistPort> ports;  // one per bit of the top module's ports
  // Readable names of nets, from the design's public wires ("m0.y[5]"); a register's output net
  // carries the register's name, which Yosys' generated cell names do not.
  std::map<int64_t, std::string> net_names;
};

// Parses Yosys `write_json` output and returns module `top`, which must be flat (it may only
// instantiate the library's primitives). Errors name `source` (the file) and what is wrong.
StatusOr<Netlist> ParseYosysNetlist(std::string_view json, const std::string& top,
                                    const std::string& source);

// Resource counts in the categories Vivado's utilization report uses.
struct ResourceCounts {
  int64_t lut = 0;     // LUT1..LUT6 used as logic
  int64_t ff = 0;      // FDRE/FDSE/FDCE/FDPE (and latches)
  int64_t dsp = 0;     // DSP48E1/DSP48E2
  int64_t ramb18 = 0;  // RAMB18E1/E2 and FIFO18
  int64_t ramb36 = 0;  // RAMB36E1/E2 and FIFO36
  int64_t uram = 0;    // URAM288
  int64_t carry4 = 0;
  int64_t carry8 = 0;
  int64_t muxf = 0;    // MUXF7/MUXF8/MUXF9
  int64_t srl = 0;     // SRL16E/SRLC16E/SRLC32E (Vivado: "LUT as shift register")
  int64_t lutram = 0;  // RAM32X1D, RAM64M... (Vivado: "LUT as distributed RAM")
  int64_t inv = 0;     // INV: Yosys leaves inverters as cells; Vivado folds them into LUTs
  std::map<std::string, int64_t> by_type;  // every cell type, for the detailed listing

  // Block RAM in 18 Kb units, as HLS and hls4ml report BRAM_18K.
  int64_t bram18() const { return ramb18 + 2 * ramb36; }
  int64_t carry() const { return carry4 + carry8; }
};

ResourceCounts CountResources(const Netlist& netlist);

// Cell-type classes shared by the counter and the timing estimate.
bool IsLutType(std::string_view type);
bool IsFlipFlopType(std::string_view type);
bool IsDspType(std::string_view type);
bool IsBlockRamType(std::string_view type);
bool IsCarryType(std::string_view type);
bool IsMuxfType(std::string_view type);
bool IsSrlType(std::string_view type);
bool IsLutRamType(std::string_view type);

}  // namespace firmnet::report
