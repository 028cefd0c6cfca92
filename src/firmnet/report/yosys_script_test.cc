#include "firmnet/report/yosys_script.h"

#include <gtest/gtest.h>

namespace firmnet::report {
namespace {

TEST(YosysScriptTest, TwoPartFlowWithMaccUnmap) {
  SynthScriptOptions o;
  o.family = XilinxFamily::kXcu;
  o.top = "jet";
  o.sources = {"../a.v", "../rtl/b c.v"};
  const std::string s = YosysSynthScript(o);
  const size_t read_a = s.find("read_verilog -noautowire ../a.v\n");
  const size_t read_b = s.find("read_verilog -noautowire \"../rtl/b c.v\"\n");
  const size_t part1 =
      s.find("synth_xilinx -family xcu -top jet -flatten -noiopad -noclkbuf -run :coarse\n");
  const size_t unmap = s.find("\nmaccmap -unmap\n");
  const size_t part2 =
      s.find("synth_xilinx -family xcu -top jet -flatten -noiopad -noclkbuf -run map_memory:\n");
  const size_t json = s.find("write_json netlist.json\n");
  ASSERT_NE(read_a, std::string::npos) << s;
  ASSERT_NE(read_b, std::string::npos) << s;
  ASSERT_NE(part1, std::string::npos) << s;
  ASSERT_NE(unmap, std::string::npos) << s;
  ASSERT_NE(part2, std::string::npos) << s;
  ASSERT_NE(json, std::string::npos) << s;
  EXPECT_LT(read_a, read_b);
  EXPECT_LT(read_b, part1);
  EXPECT_LT(part1, s.find("\nalumacc\n"));
  EXPECT_LT(s.find("\nalumacc\n"), unmap);
  EXPECT_LT(unmap, part2);
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
