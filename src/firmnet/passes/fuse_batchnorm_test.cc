#include "firmnet/passes/fuse_batchnorm.h"

#include <gtest/gtest.h>

#include "firmnet/ir/parser.h"
#include "firmnet/ir/printer.h"
#include "firmnet/ir/verifier.h"

namespace firmnet::passes {
namespace {

// Runs the pass on `in`; returns the printed result, or the error message.
std::string RunOn(const std::string& in, bool* changed = nullptr) {
  auto g = ir::ParseGraph(in, "in");
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  if (!g.ok()) return "";
  FuseBatchNormPass pass;
  auto result = pass.Run(*g);
  if (!result.ok()) return result.status().message();
  if (changed) *changed = *result;
  EXPECT_TRUE(ir::VerifyGraph(*g, ir::VerifyLevel::kStructure).ok());
  return ir::PrintGraph(*g);
}

std::string Canonical(const std::string& text) {
  auto g = ir::ParseGraph(text, "expected");
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  return g.ok() ? ir::PrintGraph(*g) : "";
}

constexpr char kHeader[] = "graph g {\n  %x = input() shape=[1]\n";

TEST(FuseBatchNormTest, FoldsIntoDenseAndRewiresConsumersAndOutputs) {
  const std::string in = std::string(kHeader) + R"(
  %fc = dense(%x) shape=[2] reuse=2 precision{result=ap_fixed<16,6>, weight=ap_fixed<8,3>}
    weight f64[1,2] = [1, 2]
    bias f64[2] = [1, 1]
  %bn = batchnorm(%fc) shape=[2] precision{result=ap_fixed<10,4>, scale=ap_fixed<8,3>}
    scale f64[2] = [2, -1]
    bias f64[2] = [0.5, 0]
  %r = relu(%bn) shape=[2]
  outputs %r, %bn
})";
  const std::string want = std::string(kHeader) + R"(
  %fc = dense(%x) shape=[2] reuse=2 precision{result=ap_fixed<10,4>, weight=ap_fixed<8,3>}
    weight f64[1,2] = [2, -2]
    bias f64[2] = [2.5, -1]
  %r = relu(%fc) shape=[2]
  outputs %r, %fc
})";
  bool changed = false;
  EXPECT_EQ(RunOn(in, &changed), Canonical(want));
  EXPECT_TRUE(changed);
  // A second run finds nothing to do.
  changed = true;
  EXPECT_EQ(RunOn(want, &changed), Canonical(want));
  EXPECT_FALSE(changed);
}

TEST(FuseBatchNormTest, FoldsInFloat64ColumnByColumn) {
  const std::string in = std::string(kHeader) + R"(
  %fc = dense(%x) shape=[3]
    weight f64[2,3] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    bias f64[3] = [0.7, 0.8, 0.9]
  %bn = batchnorm(%fc) shape=[3]
    scale f64[3] = [3, 0.1, -7]
    bias f64[3] = [0.3, 0.2, 0.1]
  outputs %bn
})";
  auto g = ir::ParseGraph(in);
  ASSERT_TRUE(g.ok());
  FuseBatchNormPass pass;
  ASSERT_TRUE(pass.Run(*g).ok());
  ASSERT_EQ(g->nodes.size(), 2u);
  const ir::Node& fc = g->nodes[1];
  const double w[6] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
  const double s[3] = {3, 0.1, -7};
  const double b[3] = {0.7, 0.8, 0.9};
  const double t[3] = {0.3, 0.2, 0.1};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(fc.Weight("weight")->data[i], w[i] * s[i % 3]) << i;
  for (int j = 0; j < 3; ++j) {
    const double product = b[j] * s[j];  // separate statement: no fused multiply-add
    EXPECT_EQ(fc.Weight("bias")->data[j], product + t[j]) << j;
  }
  EXPECT_EQ(g->outputs, std::vector<std::string>{"fc"});
}

TEST(FuseBatchNormTest, LeavesOtherPatternsAlone) {
  const std::string dense = R"(
  %fc = dense(%x) shape=[1]
    weight f64[1,1] = [1]
    bias f64[1] = [0]
)";
  const std::string bn = R"(
    scale f64[1] = [2]
    bias f64[1] = [0]
)";
  const std::string cases[] = {
      // The dense has a second reader.
      std::string(kHeader) + dense + "  %bn = batchnorm(%fc)" + bn +
          "  %r = relu(%fc)\n  outputs %bn, %r\n}",
      // The dense itself is a model output.
      std::string(kHeader) + dense + "  %bn = batchnorm(%fc)" + bn + "  outputs %bn, %fc\n}",
      // Not a dense before the batchnorm.
      std::string(kHeader) + "  %r = relu(%x)\n  %bn = batchnorm(%r)" + bn + "  outputs %bn\n}",
  };
  for (const std::string& in : cases) {
    bool changed = true;
    EXPECT_EQ(RunOn(in, &changed), Canonical(in));
    EXPECT_FALSE(changed) << in;
  }
}

TEST(FuseBatchNormTest, MismatchedSizesAreAnError) {
  const std::string in = std::string(kHeader) + R"(
  %fc = dense(%x)
    weight f64[1,2] = [1, 2]
    bias f64[2] = [0, 0]
  %bn = batchnorm(%fc)
    scale f64[3] = [1, 1, 1]
    bias f64[3] = [0, 0, 0]
  outputs %bn
})";
  EXPECT_EQ(RunOn(in),
            "fuse_batchnorm: layer 'bn' (batchnorm) after layer 'fc' (dense): sizes disagree: "
            "dense weight [1,2], bias [2], batchnorm scale [3], bias [3]");
}

}  // namespace
}  // namespace firmnet::passes
