#include "firmnet/report/yosys_log.h"

#include <gtest/gtest.h>

namespace firmnet::report {
namespace {

// Captured from a Yosys 0.23 `synth_xilinx` log.
constexpr const char* kLog =
    "2.3. Executing HIERARCHY pass (managing design hierarchy).\n"
    "\n"
    "2.3.1. Analyzing design hierarchy..\n"
    "Top module:  \\top\n"
    "2.4.6. Executing PROC_ROM pass (convert switches to ROMs).\n"
    "2.47. Executing ABC pass (technology mapping from logic to LUTs).\n"
    "ABC: + strash \n";

TEST(YosysLogTest, LastPassName) {
  EXPECT_EQ(LastPassName(kLog), "ABC");
  EXPECT_EQ(LastPassName("1. Executing Verilog-2005 frontend: ../dense.v\n"),
            "Verilog-2005 frontend");
  EXPECT_EQ(LastPassName(
                "2.4.6. Executing PROC_ROM pass (convert switches to ROMs).\n2.3.1. Analyzing\n"),
            "PROC_ROM");
}

TEST(YosysLogTest, IgnoresAHalfWrittenLastLine) {
  EXPECT_EQ(LastPassName("2.3. Executing HIERARCHY pass (x).\n2.4. Executing OPT"), "HIERARCHY");
  EXPECT_EQ(LastPassName("2.4. Executing OPT"), "");
}

TEST(YosysLogTest, NothingBeforeTheFirstPass) {
  EXPECT_EQ(LastPassName(""), "");
  EXPECT_EQ(LastPassName("\n /-----\\\n | yosys |\n"), "");
  // A numbered line that is not a pass heading.
  EXPECT_EQ(LastPassName("3.5 Executing nothing\n12. Printing statistics.\n"), "");
}

TEST(YosysLogTest, ErrorLines) {
  const auto e = ErrorLines(
      "1. Executing Verilog-2005 frontend: a.v\nERROR: Module `foo' referenced in module `top' is "
      "not part of the design.\nEnd\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "Module `foo' referenced in module `top' is not part of the design.");
  EXPECT_TRUE(ErrorLines("Warning: x\n").empty());
  // Captured: a source error, which Yosys 0.23 -q repeats at the end of the log without a newline.
  const auto src = ErrorLines(
      "Generating RTLIL representation for module `\\broken'.\n"
      "broken.v:2: ERROR: Identifier `\\u' is implicitly declared.broken.v:2: ERROR: Identifier "
      "`\\u' is implicitly declared.");
  ASSERT_EQ(src.size(), 1u);
  EXPECT_EQ(src[0], "broken.v:2: ERROR: Identifier `\\u' is implicitly declared.");
}

}  // namespace
}  // namespace firmnet::report
