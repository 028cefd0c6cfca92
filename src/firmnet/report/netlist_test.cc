#include "firmnet/report/netlist.h"

#include <gtest/gtest.h>

namespace firmnet::report {
namespace {

// The shape of Yosys 0.23 `write_json` after synth_xilinx and `hierarchy -purge_lib`, cut down
// to a few cells (blackbox primitive modules keep no cells; attributes and netnames are dropped).
constexpr const char* kNetlist = R"json({
  "creator": "Yosys 0.23 (git sha1 7ce5011c24b)",
  "modules": {
    "FDRE": { "attributes": { "blackbox": "00000000000000000000000000000001" }, "ports": {}, "cells": {} },
    "LUT2": { "attributes": { "blackbox": "00000000000000000000000000000001" }, "ports": {},
      "cells": { "$specify$1": { "hide_name": 1, "type": "$specify2", "parameters": {}, "port_directions": {}, "connections": {} },
                 "$and$2": { "hide_name": 1, "type": "$logic_and", "parameters": {}, "port_directions": {}, "connections": {} } } },
    "top": {
      "attributes": { "top": "00000000000000000000000000000001", "src": "../dense.v:7.1-29.10" },
      "ports": {
        "clk": { "direction": "input", "bits": [ 2 ] },
        "d": { "direction": "input", "bits": [ 3, 4 ] },
        "q": { "direction": "output", "bits": [ 5, "0" ] }
      },
      "cells": {
        "$abc$1$lut": { "hide_name": 1, "type": "LUT2",
          "parameters": { "INIT": "0110" }, "attributes": { "src": "x" },
          "port_directions": { "I0": "input", "I1": "input", "O": "output" },
          "connections": { "I0": [ 3 ], "I1": [ 4 ], "O": [ 6 ] } },
        "$auto$ff": { "hide_name": 1, "type": "FDRE",
          "parameters": { "INIT": "0" },
          "port_directions": { "C": "input", "CE": "input", "D": "input", "Q": "output", "R": "input" },
          "connections": { "C": [ 2 ], "CE": [ "1" ], "D": [ 6 ], "Q": [ 5 ], "R": [ "0" ] } },
        "dsp": { "hide_name": 0, "type": "DSP48E2",
          "parameters": { "AREG": "00000000000000000000000000000001", "PREG": "00000000000000000000000000000000", "USE_MULT": "MULTIPLY" },
          "port_directions": { "A": "input", "P": "output" },
          "connections": { "A": [ 3, 4 ], "P": [ 7, 8 ] } },
        "c4": { "hide_name": 0, "type": "CARRY4", "parameters": {},
          "port_directions": { "CI": "input", "O": "output" }, "connections": { "CI": [ "0" ], "O": [ 9 ] } },
        "r18": { "hide_name": 0, "type": "RAMB18E2", "parameters": {}, "port_directions": {}, "connections": {} },
        "r36": { "hide_name": 0, "type": "RAMB36E2", "parameters": {}, "port_directions": {}, "connections": {} },
        "srl": { "hide_name": 0, "type": "SRLC32E", "parameters": {}, "port_directions": {}, "connections": {} },
        "mf": { "hide_name": 0, "type": "MUXF7", "parameters": {}, "port_directions": {}, "connections": {} },
        "l6": { "hide_name": 0, "type": "LUT6", "parameters": {}, "port_directions": {}, "connections": {} }
      },
      "netnames": { "clk": { "hide_name": 0, "bits": [ 2 ], "attributes": {} },
                    "$abc$n6": { "hide_name": 1, "bits": [ 6 ], "attributes": {} } }
    }
  }
})json";

TEST(NetlistTest, ParsesCellsPortsAndIntegerParameters) {
  auto n = ParseYosysNetlist(kNetlist, "top", "netlist.json");
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(n->top, "top");
  ASSERT_EQ(n->cells.size(), 9u);
  const NetlistCell& lut = n->cells[0];
  EXPECT_EQ(lut.name, "$abc$1$lut");
  EXPECT_EQ(lut.type, "LUT2");
  EXPECT_EQ(lut.inputs, (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(lut.outputs, (std::vector<int64_t>{6}));
  EXPECT_EQ(lut.params.at("INIT"), 6);
  const NetlistCell& ff = n->cells[1];
  EXPECT_EQ(ff.inputs, (std::vector<int64_t>{2, 6})) << "constant bits are dropped";
  const NetlistCell& dsp = n->cells[2];  // in the file's order
  EXPECT_EQ(dsp.name, "dsp");
  EXPECT_EQ(dsp.params.at("AREG"), 1);
  EXPECT_EQ(dsp.params.at("PREG"), 0);
  EXPECT_EQ(dsp.params.count("USE_MULT"), 0u) << "text parameters are not integers";
  ASSERT_EQ(n->ports.size(), 4u);  // clk, d[0], d[1], q[0]; the constant q[1] has no net
  EXPECT_EQ(n->ports[0].name, "clk");
  EXPECT_EQ(n->ports[1].name, "d[0]");
  EXPECT_EQ(n->ports[2].name, "d[1]");
  EXPECT_TRUE(n->ports[2].input);
  EXPECT_EQ(n->ports[3].name, "q[0]");
  EXPECT_FALSE(n->ports[3].input);
  EXPECT_EQ(n->net_names.at(2), "clk");
  EXPECT_EQ(n->net_names.count(6), 0u) << "hidden names are skipped";
}

TEST(NetlistTest, CountsResourcesByVivadoCategory) {
  auto n = ParseYosysNetlist(kNetlist, "top", "netlist.json");
  ASSERT_TRUE(n.ok()) << n.status().message();
  const ResourceCounts c = CountResources(*n);
  EXPECT_EQ(c.lut, 2);
  EXPECT_EQ(c.ff, 1);
  EXPECT_EQ(c.dsp, 1);
  EXPECT_EQ(c.carry4, 1);
  EXPECT_EQ(c.carry(), 1);
  EXPECT_EQ(c.ramb18, 1);
  EXPECT_EQ(c.ramb36, 1);
  EXPECT_EQ(c.bram18(), 3);
  EXPECT_EQ(c.srl, 1);
  EXPECT_EQ(c.muxf, 1);
  EXPECT_EQ(c.lutram, 0);
  EXPECT_EQ(c.inv, 0);
  EXPECT_EQ(c.by_type.at("LUT6"), 1);
  EXPECT_EQ(c.by_type.size(), 9u);
}

TEST(NetlistTest, CellClasses) {
  EXPECT_TRUE(IsLutType("LUT1"));
  EXPECT_TRUE(IsLutType("LUT6"));
  EXPECT_FALSE(IsLutType("LUT7"));
  EXPECT_TRUE(IsLutRamType("RAM64M"));
  EXPECT_TRUE(IsLutRamType("RAM32X1D"));
  EXPECT_FALSE(IsLutRamType("RAMB18E2"));
  EXPECT_TRUE(IsBlockRamType("RAMB36E1"));
  EXPECT_TRUE(IsFlipFlopType("FDCE"));
  EXPECT_FALSE(IsFlipFlopType("FIFO18E1"));
}

TEST(NetlistTest, Errors) {
  auto bad = ParseYosysNetlist("{ not json", "top", "out/netlist.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind(
                "out/netlist.json: not a valid Yosys JSON netlist: not valid JSON (at byte", 0),
            0u)
      << bad.status().message();

  auto missing = ParseYosysNetlist(kNetlist, "jet", "netlist.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "netlist.json: the netlist has no module 'jet'");

  auto unmapped = ParseYosysNetlist(
      R"({"modules":{"t":{"cells":{"a":{"type":"$add","port_directions":{},"connections":{}}}}}})",
      "t", "n.json");
  ASSERT_FALSE(unmapped.ok());
  EXPECT_NE(unmapped.status().message().find("not flat or not mapped (cell 'a' is a $add)"),
            std::string::npos)
      << unmapped.status().message();

  auto hier = ParseYosysNetlist(
      R"({"modules":{"sub":{"cells":{"x":{"type":"LUT1"}}},"t":{"cells":{"u":{"type":"sub"}}}}})",
      "t", "n.json");
  ASSERT_FALSE(hier.ok());
  EXPECT_NE(hier.status().message().find("not flat"), std::string::npos) << hier.status().message();

  auto nodir = ParseYosysNetlist(
      R"({"modules":{"t":{"cells":{"a":{"type":"LUT1","connections":{"I0":[3]}}}}}})", "t",
      "n.json");
  ASSERT_FALSE(nodir.ok());
  EXPECT_NE(nodir.status().message().find("port 'I0' has no input/output direction"),
            std::string::npos)
      << nodir.status().message();
}

}  // namespace
}  // namespace firmnet::report
