#include "firmnet/report/timing.h"

#include <gtest/gtest.h>

namespace firmnet::report {
namespace {

// A small netlist builder: cells connected by integer net ids.
class Builder {
 public:
  Builder& Cell(const std::string& name, const std::string& type, std::vector<int64_t> in,
                std::vector<int64_t> out, std::map<std::string, int64_t> params = {}) {
    n_.cells.push_back({name, type, std::move(params), std::move(in), std::move(out)});
    return *this;
  }
  Builder& In(const std::string& name, int64_t net) {
    n_.ports.push_back({name, net, true});
    return *this;
  }
  Builder& Out(const std::string& name, int64_t net) {
    n_.ports.push_back({name, net, false});
    return *this;
  }
  const Netlist& netlist() const { return n_; }

 private:
  Netlist n_;
};

const DelayModel& M() { return DelayModelFor(XilinxFamily::kXcu); }

TimingEstimate Estimate(const Builder& b) {
  auto t = EstimateTiming(b.netlist(), M());
  EXPECT_TRUE(t.ok()) << t.status().message();
  return t.ok() ? *t : TimingEstimate{};
}

TEST(TimingTest, RegisterToRegisterThroughLuts) {
  Builder b;
  b.In("clk", 1)
      .Cell("r0", "FDRE", {1, 10}, {2})
      .Cell("l1", "LUT6", {2}, {3})
      .Cell("l2", "LUT3", {3, 2}, {4})
      .Cell("l3", "LUT2", {4, 3}, {5})
      .Cell("r1", "FDRE", {1, 5}, {6})
      .Cell("short", "LUT1", {2}, {7})
      .Cell("r2", "FDRE", {1, 7}, {10});
  const TimingEstimate t = Estimate(b);
  ASSERT_TRUE(t.has_path);
  EXPECT_DOUBLE_EQ(t.critical_path_ns, M().ff_clk_to_q + 3 * M().lut + M().ff_setup);
  EXPECT_NEAR(t.fmax_mhz, 1000.0 / t.critical_path_ns, 1e-9);
  EXPECT_EQ(t.logic_levels, 3);
  EXPECT_EQ(t.max_lut_levels, 3);
  EXPECT_EQ(t.from, "r0 (FDRE)");
  EXPECT_EQ(t.to, "r1 (FDRE)");
  EXPECT_TRUE(t.untimed_types.empty());
}

TEST(TimingTest, RegistersAreNamedByTheWireTheyDrive) {
  Builder b;
  b.In("clk", 1).Cell("$auto$ff$1", "FDRE", {1, 3}, {2}).Cell("l", "LUT1", {2}, {3});
  Netlist n = b.netlist();
  n.net_names[2] = "acc[4]";
  auto t = EstimateTiming(n, M());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->from, "acc[4] (FDRE)");
  EXPECT_EQ(t->to, "acc[4] (FDRE)");
}

TEST(TimingTest, CarryChainsCountStepsAndNotLutLevels) {
  Builder b;
  b.In("clk", 1)
      .Cell("r0", "FDRE", {1, 2}, {2})
      .Cell("s", "LUT2", {2}, {3})
      .Cell("c0", "CARRY4", {3}, {4, 5})
      .Cell("c1", "CARRY4", {5, 3}, {6, 7})
      .Cell("c2", "CARRY4", {7, 3}, {8, 9})
      .Cell("r1", "FDRE", {1, 8}, {20});
  const TimingEstimate t = Estimate(b);
  EXPECT_DOUBLE_EQ(t.critical_path_ns,
                   M().ff_clk_to_q + M().lut + M().carry_entry + 2 * M().carry_step + M().ff_setup);
  EXPECT_EQ(t.logic_levels, 1);
  EXPECT_EQ(t.carry_cells, 3);
}

TEST(TimingTest, CriticalPathListsItsCellsInOrder) {
  Builder b;
  b.In("clk", 1)
      .Cell("r0", "FDRE", {1, 2}, {2})
      .Cell("inv", "INV", {2}, {10})
      .Cell("$abc$7$lut", "LUT2", {10}, {3})
      .Cell("c0", "CARRY4", {3}, {4, 5})
      .Cell("c1", "CARRY4", {5, 3}, {6, 7})
      .Cell("r1", "FDRE", {1, 6}, {20});
  Netlist n = b.netlist();
  n.net_names[6] = "sum[5]";
  auto t = EstimateTiming(n, M());
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->path.size(), 3u) << "the INV is wiring and left out";
  EXPECT_EQ(t->path[0].cell, "$abc$7$lut") << "an unnamed net: the cell's own name";
  EXPECT_EQ(t->path[0].type, "LUT2");
  EXPECT_DOUBLE_EQ(t->path[0].arrival_ns, M().ff_clk_to_q + M().lut);
  EXPECT_EQ(t->path[1].cell, "c0");
  EXPECT_EQ(t->path[2].cell, "sum[5]") << "a named net: the wire";
  EXPECT_DOUBLE_EQ(t->path[2].arrival_ns,
                   M().ff_clk_to_q + M().lut + M().carry_entry + M().carry_step);
  EXPECT_DOUBLE_EQ(t->critical_path_ns, t->path.back().arrival_ns + M().ff_setup);
}

TEST(TimingTest, MaxLutLevelsMayLieOffTheCriticalPath) {
  // Path A: 1 LUT then a combinational DSP (slow). Path B: 4 LUTs (fast).
  Builder b;
  b.In("clk", 1)
      .Cell("r0", "FDRE", {1, 2}, {2})
      .Cell("a1", "LUT2", {2}, {3})
      .Cell("dsp", "DSP48E2", {3}, {4}, {{"AREG", 0}, {"BREG", 0}, {"MREG", 0}, {"PREG", 0}})
      .Cell("ra", "FDRE", {1, 4}, {20})
      .Cell("b1", "LUT2", {2}, {5})
      .Cell("b2", "LUT2", {5}, {6})
      .Cell("b3", "LUT2", {6}, {7})
      .Cell("b4", "LUT2", {7}, {8})
      .Cell("rb", "FDRE", {1, 8}, {21});
  const TimingEstimate t = Estimate(b);
  EXPECT_EQ(t.to, "ra (FDRE)");
  EXPECT_EQ(t.logic_levels, 1);
  EXPECT_EQ(t.dsp_cells, 1);
  EXPECT_EQ(t.max_lut_levels, 4);
}

TEST(TimingTest, RegisteredDspStartsAndEndsPaths) {
  Builder b;
  b.In("clk", 1)
      .Cell("r0", "FDRE", {1, 2}, {2})
      .Cell("l", "LUT2", {2}, {3})
      .Cell("dsp", "DSP48E2", {1, 3}, {4}, {{"AREG", 1}, {"BREG", 1}, {"MREG", 1}, {"PREG", 1}})
      .Cell("l2", "LUT2", {4}, {5})
      .Cell("r1", "FDRE", {1, 5}, {6});
  const TimingEstimate t = Estimate(b);
  const double into = M().ff_clk_to_q + M().lut + M().dsp_setup;
  const double out = M().dsp_clk_to_p + M().lut + M().ff_setup;
  EXPECT_DOUBLE_EQ(t.critical_path_ns, std::max(into, out));
}

TEST(TimingTest, PortsAreRegistersAndConstantsStartNothing) {
  Builder b;
  b.In("x", 1)
      .Cell("gnd", "GND", {}, {2})
      .Cell("l", "LUT2", {1, 2}, {3})
      .Cell("inv", "INV", {3}, {4})
      .Out("y", 4);
  const TimingEstimate t = Estimate(b);
  EXPECT_DOUBLE_EQ(t.critical_path_ns, M().lut);
  EXPECT_EQ(t.from, "x");
  EXPECT_EQ(t.to, "y");
}

TEST(TimingTest, UnknownCellsAreListedAndCutPaths) {
  Builder b;
  b.In("x", 1).Cell("m", "MMCME4_ADV", {1}, {2}).Cell("l", "LUT2", {2}, {3}).Out("y", 3);
  const TimingEstimate t = Estimate(b);
  EXPECT_EQ(t.untimed_types, std::vector<std::string>{"MMCME4_ADV"});
  EXPECT_EQ(t.from, "m (MMCME4_ADV)");
}

TEST(TimingTest, NoPath) {
  Builder b;
  b.Cell("gnd", "GND", {}, {2});
  const TimingEstimate t = Estimate(b);
  EXPECT_FALSE(t.has_path);
}

TEST(TimingTest, CombinationalLoopIsAnError) {
  Builder b;
  b.In("x", 1).Cell("a", "LUT2", {1, 3}, {2}).Cell("b", "LUT2", {2}, {3}).Out("y", 3);
  auto t = EstimateTiming(b.netlist(), M());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "timing: combinational loop through cell 'a' (LUT2)");
}

}  // namespace
}  // namespace firmnet::report
