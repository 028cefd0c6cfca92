#include "firmnet/report/yosys_script.h"

#include <gtest/gtest.h>

namespace firmnet::report {
namespace {

TEST(YosysScriptTest, TwoPartFlowWithoutAlumacc) {
  SynthScriptOptions o;
  o.family = XilinxFamily::kXcu;
  o.top = "jet";
  o.sources = {"../a.v", "../rtl/b c.v"};
  const std::string s = YosysSynthScript(o);
  const size_t read_a = s.find("read_verilog -noautowire ../a.v\n");
  const size_t read_b = s.find("read_verilog -noautowire \"../rtl/b c.v\"\n");
  const size_t part1 =
      s.find("synth_xilinx -family xcu -top jet -flatten -noiopad -noclkbuf -run :coarse\n");
  const size_t coarse = s.find("\ntechmap -map +/cmp2lut.v -map +/cmp2lcu.v -D LUT_WIDTH=6\n");
  const size_t part2 =
      s.find("synth_xilinx -family xcu -top jet -flatten -noiopad -noclkbuf -run map_memory:\n");
  const size_t json = s.find("write_json netlist.json\n");
  ASSERT_NE(read_a, std::string::npos) << s;
  ASSERT_NE(read_b, std::string::npos) << s;
  ASSERT_NE(part1, std::string::npos) << s;
  ASSERT_NE(coarse, std::string::npos) << s;
  ASSERT_NE(part2, std::string::npos) << s;
  ASSERT_NE(json, std::string::npos) << s;
  EXPECT_LT(read_a, read_b);
  EXPECT_LT(read_b, part1);
  EXPECT_LT(part1, coarse);
  EXPECT_LT(coarse, part2);
  // No pass that merges or re-associates the RTL's adders (the LUT-tree trap, and sums whose
  // late terms end up at the bottom of the tree).
  EXPECT_EQ(s.find("\nalumacc"), std::string::npos) << s;
  EXPECT_EQ(s.find("\nmaccmap"), std::string::npos) << s;
  EXPECT_LT(part2, s.find("hierarchy -purge_lib"));
  EXPECT_LT(s.find("hierarchy -purge_lib"), json);
  EXPECT_EQ(YosysSynthScript(o), s) << "deterministic";
}

TEST(YosysScriptTest, FamilyComesFromTheOptions) {
  SynthScriptOptions o;
  o.family = XilinxFamily::kXcup;
  o.top = "t";
  o.sources = {"../t.v"};
  const std::string s = YosysSynthScript(o);
  EXPECT_NE(s.find("synth_xilinx -family xcup -top t "), std::string::npos) << s;
  EXPECT_EQ(s.find("-family xc7"), std::string::npos) << s;
}

}  // namespace
}  // namespace firmnet::report
