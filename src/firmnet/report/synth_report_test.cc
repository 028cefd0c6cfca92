#include "firmnet/report/synth_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace firmnet::report {
namespace {

SynthReport Sample() {
  SynthReport r;
  r.part = "xcku115-flvb2104-2-i";
  r.family = XilinxFamily::kXcu;
  r.top = "jet";
  r.resources.lut = 1200;
  r.resources.ff = 300;
  r.resources.dsp = 4;
  r.resources.ramb18 = 1;
  r.resources.ramb36 = 2;
  r.resources.carry4 = 80;
  r.resources.by_type = {{"LUT6", 1200}, {"FDRE", 300}};
  TimingEstimate t;
  t.has_path = true;
  t.critical_path_ns = 4.0 + 1.0 / 3;
  t.fmax_mhz = 1000 / t.critical_path_ns;
  t.logic_levels = 7;
  t.max_lut_levels = 9;
  t.from = "a[0] (FDRE)";
  t.to = "b[3] (FDRE)";
  t.path = {{"$abc$9$auto$blifparse.cc:525:parse_blif$77", "LUT6", 0.85},
            {"$techmap$add$../jet.v:140$29.$auto$alumacc.cc:485:replace_alu$5.slice[0].carry4",
             "CARRY4", 1.25},
            {"$techmap$add$../jet.v:140$29.$auto$alumacc.cc:485:replace_alu$5.slice[1].carry4",
             "CARRY4", 1.31},
            {"acc[3]", "CARRY4", 1.37}};
  r.timing = t;
  return r;
}

TEST(SynthReportTest, JsonKeysAndRounding) {
  SynthReport r = Sample();
  r.target_period_ns = 5;
  const auto j = nlohmann::json::parse(FormatSynthJson(r));
  EXPECT_EQ(j["family"], "xcu");
  EXPECT_EQ(j["resources"]["bram18"], 5);
  EXPECT_EQ(j["resources"]["carry"], 80);
  EXPECT_EQ(j["resources"]["cells_by_type"]["LUT6"], 1200);
  EXPECT_EQ(j["timing"]["critical_path_ns"], 4.333);
  EXPECT_EQ(j["timing"]["fmax_mhz"], 230.8);
  EXPECT_EQ(j["timing"]["slack_ns"], 0.667);
  EXPECT_EQ(j["timing"]["logic_levels"], 7);
  ASSERT_EQ(j["timing"]["path"].size(), 4u);
  EXPECT_EQ(j["timing"]["path"][3]["cell"], "acc[3]");
  EXPECT_EQ(j["timing"]["path"][3]["type"], "CARRY4");
  EXPECT_EQ(j["timing"]["path"][3]["arrival_ns"], 1.37);
  EXPECT_FALSE(j.contains("yosys_wall_s")) << "absent unless set (report.json must not vary)";
  r.yosys_wall_s = 12.345;
  EXPECT_EQ(nlohmann::json::parse(FormatSynthJson(r))["yosys_wall_s"], 12.35);
  // Keys in a fixed order, so the file diffs cleanly.
  const std::string text = FormatSynthJson(r);
  EXPECT_LT(text.find("\"part\""), text.find("\"resources\""));
  EXPECT_LT(text.find("\"resources\""), text.find("\"timing\""));
}

TEST(SynthReportTest, TextNamesTheModelAndTheSlack) {
  SynthReport r = Sample();
  r.target_period_ns = 4;
  r.yosys_wall_s = 3.0;
  const std::string s = FormatSynthText(r);
  EXPECT_NE(s.find("critical path 4.33 ns -> Fmax ~231 MHz; 7 LUT levels"), std::string::npos) << s;
  EXPECT_NE(s.find("target clock 4.00 ns (250 MHz): estimated slack -0.33 ns (misses)"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("not a Vivado result"), std::string::npos) << s;
  EXPECT_NE(s.find("BRAM18            5"), std::string::npos) << s;
  EXPECT_NE(s.find("Yosys wall time: 3.0 s"), std::string::npos) << s;
  // The path: Yosys' own cell names become the RTL line they came from (or nothing), and one
  // carry chain is one line.
  EXPECT_NE(s.find("  from a[0] (FDRE)\n"
                   "      0.85 ns  LUT6\n"
                   "      1.37 ns  CARRY4 x3  acc[3]\n"
                   "  to   b[3] (FDRE)\n"),
            std::string::npos)
      << s;
  r.timing->path.pop_back();
  EXPECT_NE(FormatSynthText(r).find("      1.31 ns  CARRY4 x2  jet.v:140\n"), std::string::npos)
      << FormatSynthText(r);
}

TEST(SynthReportTest, PathExactlyAtThePeriodMeetsIt) {
  SynthReport r = Sample();
  r.target_period_ns = 5;
  // 0.4 + 4.55 + 0.05 in doubles is 5.000000000000001.
  r.timing->critical_path_ns = 0.4 + 4.55 + 0.05;
  const std::string s = FormatSynthText(r);
  EXPECT_NE(s.find("estimated slack 0.00 ns\n"), std::string::npos) << s;
  EXPECT_EQ(s.find("-0.00"), std::string::npos) << s;
  EXPECT_EQ(s.find("misses"), std::string::npos) << s;
  EXPECT_EQ(nlohmann::json::parse(FormatSynthJson(r))["timing"]["slack_ns"], 0.0);
}

TEST(SynthReportTest, TimingFailureKeepsTheCounts) {
  SynthReport r = Sample();
  r.timing.reset();
  r.timing_error = "timing: combinational loop through cell 'a' (LUT2)";
  const auto j = nlohmann::json::parse(FormatSynthJson(r));
  EXPECT_TRUE(j["timing"].is_null());
  EXPECT_EQ(j["timing_error"], r.timing_error);
  EXPECT_EQ(j["resources"]["lut"], 1200);
  EXPECT_NE(FormatSynthText(r).find("Timing estimate unavailable: timing: combinational loop"),
            std::string::npos);
}

}  // namespace
}  // namespace firmnet::report
