#include "firmnet/report/synth_inputs.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace firmnet::report {
namespace {

namespace fs = std::filesystem;

class TempProject {
 public:
  TempProject() {
    std::string templ = (fs::temp_directory_path() / "firmnet_synth_inputs_XXXXXX").string();
    EXPECT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  ~TempProject() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((fs::path(dir_) / rel).parent_path());
    std::ofstream(fs::path(dir_) / rel) << text;
  }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

constexpr const char* kLeaf = "module leaf(input a, output b); assign b = ~a; endmodule\n";
constexpr const char* kMid =
    "// module fake(); in a comment\n"
    "module mid #(parameter W = 8'd4) (input a, output b);\n"
    "  wire leaf;  /* a net named like a module is not an instance */\n"
    "  leaf u0 (.a(a), .b(b));\n"
    "endmodule\n";
constexpr const char* kTop =
    "`timescale 1ns/1ps\n"
    "module top(input clk, input a, output b);\n"
    "  mid #(.W(2)) m (.a(a), .b(b));\n"
    "  initial $display(\"module nope\");\n"
    "endmodule\n";

TEST(SynthInputsTest, ScanFindsTheUninstantiatedModule) {
  const VerilogModules m = ScanVerilogModules({{"a.v", kLeaf}, {"b.v", kMid}, {"c.v", kTop}});
  EXPECT_EQ(m.defined, (std::vector<std::string>{"leaf", "mid", "top"}));
  EXPECT_EQ(m.candidates, std::vector<std::string>{"top"});
}

TEST(SynthInputsTest, ANetNamedLikeAModuleIsNoInstance) {
  const VerilogModules m = ScanVerilogModules(
      {{"b.v", kMid}, {"x.v", "module x(); wire mid; assign mid = 1'b0; endmodule"}});
  EXPECT_EQ(m.candidates, (std::vector<std::string>{"mid", "x"}));
}

TEST(SynthInputsTest, TestbenchNames) {
  EXPECT_TRUE(IsTestbenchFile("tb_top.v"));
  EXPECT_TRUE(IsTestbenchFile("top_tb.v"));
  EXPECT_TRUE(IsTestbenchFile("testbench.v"));
  EXPECT_FALSE(IsTestbenchFile("top.v"));
  EXPECT_FALSE(IsTestbenchFile("tbl_rom.v"));
}

TEST(SynthInputsTest, GlobsSortsAndSkipsTestbenches) {
  TempProject p;
  p.Write("top.v", kTop);
  p.Write("rtl/mid.v", kMid);
  p.Write("leaf.v", kLeaf);
  p.Write("tb_top.v", "module tb; top t(); endmodule");
  p.Write("notes.txt", "module zzz; endmodule");
  auto in = FindSynthInputs(p.dir(), "");
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_EQ(in->top, "top");
  EXPECT_EQ(in->sources, (std::vector<std::string>{"leaf.v", "rtl/mid.v", "top.v"}));
  EXPECT_EQ(in->clock_period_ns, 0.0);
}

TEST(SynthInputsTest, DesignJsonAndTopOverride) {
  TempProject p;
  p.Write("a.v", kLeaf);
  p.Write("b.v", kMid);
  p.Write("design.json",
          R"({"top": "mid", "files": ["b.v", "a.v"], "clock_period_ns": 4.0, "other": 1})");
  auto in = FindSynthInputs(p.dir(), "");
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_EQ(in->top, "mid");
  EXPECT_EQ(in->sources, (std::vector<std::string>{"b.v", "a.v"})) << "design.json's order is kept";
  EXPECT_EQ(in->clock_period_ns, 4.0);
  auto leaf = FindSynthInputs(p.dir(), "leaf");
  ASSERT_TRUE(leaf.ok()) << leaf.status().message();
  EXPECT_EQ(leaf->top, "leaf");
}

TEST(SynthInputsTest, Errors) {
  TempProject p;
  auto empty = FindSynthInputs(p.dir(), "");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("no Verilog files"), std::string::npos)
      << empty.status().message();

  auto missing = FindSynthInputs(p.dir() + "/nope", "");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope: not a directory"), std::string::npos);

  p.Write("a.v", kLeaf);
  p.Write("x.v", "module x(); endmodule");
  auto two = FindSynthInputs(p.dir(), "");
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find(
                "modules leaf, x are not instantiated by any other; name it with --top"),
            std::string::npos)
      << two.status().message();

  auto wrong = FindSynthInputs(p.dir(), "jet");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("top module 'jet' is not defined in"), std::string::npos);
  EXPECT_NE(wrong.status().message().find("(modules: leaf, x)"), std::string::npos)
      << wrong.status().message();

  p.Write("design.json", "{\"top\": 3}");
  auto bad = FindSynthInputs(p.dir(), "");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("design.json: key 'top' must be a string"),
            std::string::npos);
}

}  // namespace
}  // namespace firmnet::report
